import { describe, expect, it } from 'vitest';
import {
  BUSINESS_DECLINES,
  DECLINE_CODES,
  FailureType,
  classifyConnectionError,
  classifyDownstreamAnswer,
  classifyStripeError,
  isBusinessDecline,
  isStripeError,
} from './failures.ts';

describe('the failure catalogue', () => {
  it.each([408, 425, 429, 500, 502, 503, 504, 599])(
    'when a service answers %i, then the failure is transient (DownstreamUnavailable, retried)',
    (status) => {
      const d = classifyDownstreamAnswer('shipping-service', status, 'WHATEVER', 'boom');
      expect(d).toMatchObject({ retryable: true, type: FailureType.downstreamUnavailable });
      expect(isBusinessDecline(d.type)).toBe(false);
    },
  );

  it('when a service answers a 4xx with a decline code, then it is that business decline, not retried', () => {
    const d = classifyDownstreamAnswer('shipping-service', 422, 'UNDELIVERABLE_ADDRESS', 'no such street');
    expect(d).toMatchObject({
      retryable: false,
      type: FailureType.undeliverableAddress,
      message: 'shipping-service answered 422 UNDELIVERABLE_ADDRESS: no such street',
      details: {
        service: 'shipping-service',
        status: 422,
        code: 'UNDELIVERABLE_ADDRESS',
        injectedFault: false,
      },
    });
    expect(isBusinessDecline(d.type)).toBe(true);
  });

  it('when a service answers a 4xx with an unknown code or a validation error, then it is technical and final', () => {
    expect(classifyDownstreamAnswer('tax-service', 409, 'SOMETHING_NEW', 'x')).toMatchObject({
      retryable: false,
      type: FailureType.downstreamRejected,
    });
    const bug = classifyDownstreamAnswer('tax-service', 400, 'VALIDATION_FAILED', 'x');
    expect(bug).toMatchObject({ retryable: false, type: FailureType.invalidDownstreamRequest });
    expect(isBusinessDecline(bug.type)).toBe(false);
  });

  it('when the answer is an injected fault, then the details say so (diagnose names the drill)', () => {
    expect(classifyDownstreamAnswer('x', 503, 'INJECTED_FAULT', 'y').details.injectedFault).toBe(true);
  });

  it('when a call gets no answer, then it is transient and names the cause', () => {
    const err = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:18106') });
    expect(classifyConnectionError('shipping-service', err)).toMatchObject({
      retryable: true,
      type: FailureType.downstreamUnavailable,
      message: 'shipping-service unreachable: connect ECONNREFUSED 127.0.0.1:18106',
    });
  });

  it.each([
    ['StripeCardError', false, FailureType.paymentDeclined],
    ['StripeInvalidRequestError', false, FailureType.paymentRejected],
    ['StripeIdempotencyError', false, FailureType.paymentRejected],
    ['StripeAuthenticationError', false, FailureType.paymentRejected],
    ['StripePermissionError', false, FailureType.paymentRejected],
    ['StripeAPIError', true, FailureType.downstreamUnavailable],
    ['StripeConnectionError', true, FailureType.downstreamUnavailable],
    ['StripeRateLimitError', true, FailureType.downstreamUnavailable],
  ])('when Stripe throws %s, then retryable is %s and the type %s', (type, retryable, failureType) => {
    const e = {
      type,
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'm',
    };
    expect(isStripeError(e)).toBe(true);
    expect(classifyStripeError('payment-gateway', e)).toMatchObject({ retryable, type: failureType });
  });

  it('when an error is not from the Stripe SDK, then it is not classified as one', () => {
    expect(isStripeError(new Error('plain'))).toBe(false);
    expect(isStripeError(null)).toBe(false);
    expect(isStripeError({ type: 'card_error' })).toBe(false);
  });

  it('when a type is technical or unknown, then it is not a business decline', () => {
    for (const type of [
      FailureType.downstreamUnavailable,
      FailureType.downstreamRejected,
      FailureType.paymentRejected,
      FailureType.cancelled,
      FailureType.reservationExpired,
      'Timeout:START_TO_CLOSE',
      undefined,
    ])
      expect(isBusinessDecline(type)).toBe(false);
  });

  it('every decline code maps to a failure type the catalogue calls a business decline', () => {
    for (const [code, type] of Object.entries(DECLINE_CODES)) {
      if (type === FailureType.reservationExpired || type === FailureType.shipmentAlreadyInTransit) continue;
      expect(BUSINESS_DECLINES.has(type), code).toBe(true);
    }
  });
});
