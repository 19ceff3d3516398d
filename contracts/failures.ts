// The failure catalogue: every failure type an order can end with, which of them are business declines
// (a decision: the order was refused, nothing is broken) and which are technical (retried while the
// step's policy allows, then a technical failure), and the rules that classify a downstream answer, a
// connection error or a Stripe error. One place decides; the activities turn a decision into a Temporal
// failure, the workflow raises its own types from here, and diagnose and the load verdict read the same
// table. No Temporal import: workflow code, tools and tests all use it.

/** Failure types (the `type` of the ApplicationFailure, the order's `failure.type`). */
export const FailureType = {
  // Declines an activity decides from what a downstream service answered.
  customerNotFound: 'CustomerNotFound',
  customerNotEligible: 'CustomerNotEligible',
  unknownSku: 'UnknownSku',
  insufficientStock: 'InsufficientStock',
  invalidCoupon: 'InvalidCoupon',
  unsupportedJurisdiction: 'UnsupportedJurisdiction',
  invalidAddress: 'InvalidAddress',
  undeliverableAddress: 'UndeliverableAddress',
  shipmentAlreadyInTransit: 'ShipmentAlreadyInTransit',
  reservationExpired: 'ReservationExpired',
  paymentDeclined: 'PaymentDeclined',
  // Declines the workflow itself decides.
  fraudRejected: 'FraudRejected',
  reviewRejected: 'ReviewRejected',
  reviewDeadlineExceeded: 'ReviewDeadlineExceeded',
  // Technical: something is broken, not refused.
  downstreamUnavailable: 'DownstreamUnavailable',
  downstreamRejected: 'DownstreamRejected',
  invalidDownstreamRequest: 'InvalidDownstreamRequest',
  paymentRejected: 'PaymentRequestRejected',
  cancelled: 'OrderCancelled',
} as const;
export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

/** Downstream error code → the decline it means. A code not here, answered with a 4xx, is DownstreamRejected. */
export const DECLINE_CODES: Readonly<Record<string, FailureTypeName>> = {
  CUSTOMER_NOT_FOUND: FailureType.customerNotFound,
  SKU_NOT_FOUND: FailureType.unknownSku,
  INSUFFICIENT_STOCK: FailureType.insufficientStock,
  INVALID_COUPON: FailureType.invalidCoupon,
  COUPON_EXPIRED: FailureType.invalidCoupon,
  COUPON_MINIMUM_NOT_MET: FailureType.invalidCoupon,
  UNSUPPORTED_JURISDICTION: FailureType.unsupportedJurisdiction,
  INVALID_POSTAL_CODE: FailureType.invalidAddress,
  UNDELIVERABLE_ADDRESS: FailureType.undeliverableAddress,
  SHIPMENT_ALREADY_IN_TRANSIT: FailureType.shipmentAlreadyInTransit,
  RESERVATION_NOT_HELD: FailureType.reservationExpired,
};

/** Downstream codes that mean "our request was malformed": a bug on our side, not a decline. */
const REQUEST_BUG_CODES: Readonly<Record<string, FailureTypeName>> = {
  VALIDATION_FAILED: FailureType.invalidDownstreamRequest,
};

/** The business declines: the order was refused by a rule, a customer, a reviewer or a card issuer. */
export const BUSINESS_DECLINES: ReadonlySet<string> = new Set<string>([
  FailureType.customerNotFound,
  FailureType.customerNotEligible,
  FailureType.unknownSku,
  FailureType.insufficientStock,
  FailureType.invalidCoupon,
  FailureType.unsupportedJurisdiction,
  FailureType.invalidAddress,
  FailureType.undeliverableAddress,
  FailureType.paymentDeclined,
  FailureType.fraudRejected,
  FailureType.reviewRejected,
  FailureType.reviewDeadlineExceeded,
]);

/** A business decline (a decision), as opposed to a technical failure (something broke). */
export const isBusinessDecline = (type: string | undefined): boolean =>
  type !== undefined && BUSINESS_DECLINES.has(type);

/** What diagnose reads off a failure: which service, what it answered, and whether a drill caused it. */
export interface DownstreamErrorDetails {
  readonly service: string;
  readonly status?: number;
  readonly code?: string;
  readonly injectedFault: boolean;
  readonly declineCode?: string;
}

/** A classified failure: retry it (transient) or not, with its stable type. */
export interface FailureDecision {
  readonly retryable: boolean;
  readonly type: FailureTypeName;
  readonly message: string;
  readonly details: DownstreamErrorDetails;
}

/** Statuses that say "try again" (timeouts, throttling, the server's own trouble). */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** A downstream service answered with an error status. */
export function classifyDownstreamAnswer(
  service: string,
  status: number,
  code: string | undefined,
  message: string,
): FailureDecision {
  const details: DownstreamErrorDetails = { service, status, code, injectedFault: code === 'INJECTED_FAULT' };
  const text = `${service} answered ${status}${code ? ` ${code}` : ''}: ${message}`;
  if (RETRYABLE_STATUSES.has(status) || status >= 500)
    return { retryable: true, type: FailureType.downstreamUnavailable, message: text, details };
  const type = (code && (DECLINE_CODES[code] ?? REQUEST_BUG_CODES[code])) || FailureType.downstreamRejected;
  return { retryable: false, type, message: text, details };
}

/** The call never got an answer: refused, reset, timed out at the socket. Always transient. */
export function classifyConnectionError(service: string, err: unknown): FailureDecision {
  const reason =
    err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
  return {
    retryable: true,
    type: FailureType.downstreamUnavailable,
    message: `${service} unreachable: ${reason}`,
    details: { service, injectedFault: false },
  };
}

/** The fields of an error thrown by the official `stripe` SDK that the classification reads. */
export interface StripeErrorLike {
  readonly type: string;
  readonly statusCode?: number;
  readonly code?: string;
  readonly decline_code?: string;
  readonly message?: string;
}

export const isStripeError = (err: unknown): err is StripeErrorLike =>
  typeof (err as { type?: unknown } | null)?.type === 'string' &&
  (err as { type: string }).type.startsWith('Stripe');

/**
 * A Stripe SDK error: a card error is a decline; a request Stripe refuses (invalid, idempotency mismatch,
 * authentication, permission) is our bug and not retried; the rest (API, connection, rate limit) is transient.
 */
export function classifyStripeError(service: string, e: StripeErrorLike): FailureDecision {
  const details: DownstreamErrorDetails = {
    service,
    status: e.statusCode,
    code: e.code,
    injectedFault: e.code === 'INJECTED_FAULT',
    declineCode: e.decline_code,
  };
  const text = `${service}: ${e.message ?? e.type}`;
  switch (e.type) {
    case 'StripeCardError':
      return {
        retryable: false,
        type: FailureType.paymentDeclined,
        message: `payment declined (${e.decline_code ?? e.code}): ${e.message}`,
        details,
      };
    case 'StripeInvalidRequestError':
    case 'StripeIdempotencyError':
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      return { retryable: false, type: FailureType.paymentRejected, message: text, details };
    default:
      return { retryable: true, type: FailureType.downstreamUnavailable, message: text, details };
  }
}
