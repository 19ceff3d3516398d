// The error codes legacy-order-service answers with beyond order-api's (it shares those: same contract).
// A checkout that did not complete answers with one of these and `details: { orderId, failure, charged }`.
export const LegacyErrors = {
  /** A business decline (the failure catalogue's `isBusinessDecline`): 422. */
  orderDeclined: 'ORDER_DECLINED',
  /** The checkout deadline passed mid-pipeline: 504. Whatever had happened stays (no saga). */
  checkoutDeadlineExceeded: 'CHECKOUT_DEADLINE_EXCEEDED',
  /** A downstream call failed (timeout, 5xx, refused): 502. Whatever had happened stays (no saga). */
  downstreamFailed: 'DOWNSTREAM_FAILED',
} as const;

/** The failure type of a checkout stopped by its deadline: technical, not in the saga's catalogue. */
export const CHECKOUT_DEADLINE_EXCEEDED_TYPE = 'CheckoutDeadlineExceeded';
