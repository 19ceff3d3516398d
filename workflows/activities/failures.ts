// The one place that decides whether a downstream failure is retryable. Business declines are
// non-retryable ApplicationFailures with a stable type; transient faults (timeouts, 5xx, 429,
// connection errors) are retryable and left to the step's retry policy.
import { ApplicationFailure } from '@temporalio/activity';

/** Downstream error code -> the failure type the workflow, metrics and `diagnose` see. */
export const BUSINESS_DECLINES: Readonly<Record<string, string>> = {
  CUSTOMER_NOT_FOUND: 'CustomerNotFound',
  SKU_NOT_FOUND: 'UnknownSku',
  UNKNOWN_SKU: 'UnknownSku',
  INSUFFICIENT_STOCK: 'InsufficientStock',
  INVALID_COUPON: 'InvalidCoupon',
  COUPON_EXPIRED: 'InvalidCoupon',
  COUPON_MINIMUM_NOT_MET: 'InvalidCoupon',
  UNSUPPORTED_JURISDICTION: 'UnsupportedJurisdiction',
  INVALID_POSTAL_CODE: 'InvalidAddress',
  UNDELIVERABLE_ADDRESS: 'UndeliverableAddress',
  SHIPMENT_ALREADY_IN_TRANSIT: 'ShipmentAlreadyInTransit',
  RESERVATION_NOT_HELD: 'ReservationExpired',
  VALIDATION_FAILED: 'InvalidDownstreamRequest',
};

/** Failure types raised by the activities themselves. */
export const FailureTypes = {
  customerNotEligible: 'CustomerNotEligible',
  outOfStock: 'InsufficientStock',
  paymentDeclined: 'PaymentDeclined',
  paymentRejected: 'PaymentRequestRejected',
  downstreamUnavailable: 'DownstreamUnavailable',
  downstreamRejected: 'DownstreamRejected',
} as const;

/** What diagnose reads off a failure: which service, what it answered, and whether a drill caused it. */
export interface DownstreamErrorDetails {
  readonly service: string;
  readonly status?: number;
  readonly code?: string;
  readonly injectedFault: boolean;
}

const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

export function downstreamFailure(
  service: string,
  status: number,
  code: string | undefined,
  message: string,
): ApplicationFailure {
  const details: DownstreamErrorDetails = { service, status, code, injectedFault: code === 'INJECTED_FAULT' };
  const text = `${service} answered ${status}${code ? ` ${code}` : ''}: ${message}`;
  if (RETRYABLE_STATUSES.has(status) || status >= 500) {
    return ApplicationFailure.retryable(text, FailureTypes.downstreamUnavailable, details);
  }
  const type = (code && BUSINESS_DECLINES[code]) ?? FailureTypes.downstreamRejected;
  return ApplicationFailure.nonRetryable(text, type, details);
}

export function connectionFailure(service: string, err: unknown): ApplicationFailure {
  const details: DownstreamErrorDetails = { service, injectedFault: false };
  const reason =
    err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
  return ApplicationFailure.retryable(
    `${service} unreachable: ${reason}`,
    FailureTypes.downstreamUnavailable,
    details,
  );
}
