// The error codes order-api answers with (`{"error":{"code",...}}`), one per meaning; its source throws these
// constants. Platform codes (VALIDATION_FAILED, ...) are not here.
export const OrderApiErrors = {
  orderNotFound: 'ORDER_NOT_FOUND',
  invalidOrderId: 'INVALID_ORDER_ID',
  invalidIdempotencyKey: 'INVALID_IDEMPOTENCY_KEY',
  idempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  orderNotAwaitingReview: 'ORDER_NOT_AWAITING_REVIEW',
  temporalUnavailable: 'TEMPORAL_UNAVAILABLE',
} as const;
