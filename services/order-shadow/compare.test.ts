import { describe, expect, it } from 'vitest';
import { FailureType } from '../../contracts/failures.ts';
import { compareOutcomes, outcomeOf, reasonOf, type PipelineOutcome } from './compare.ts';

const completed = (totalCents: number): PipelineOutcome => ({
  status: 'completed',
  totalCents,
  failure: null,
});
const failed = (step: string, type: string, totalCents: number | null, message = 'x'): PipelineOutcome => ({
  status: 'failed',
  totalCents,
  failure: { step, type, message },
});

describe('compareOutcomes', () => {
  it('when both pipelines completed the order for the same total, then every field matches', () => {
    const c = compareOutcomes(completed(12_345), completed(12_345));
    expect(c.result).toBe('match');
    expect(c.fields.outcome).toEqual({ result: 'match', legacy: 'completed', shadow: 'completed' });
    expect(c.fields.amount).toEqual({ result: 'match', legacy: 12_345, shadow: 12_345 });
    expect(c.fields.reason).toEqual({ result: 'match', legacy: null, shadow: null });
  });

  it('when the shadow side priced the order differently, then the amount is a mismatch', () => {
    const c = compareOutcomes(completed(12_345), completed(12_000));
    expect(c.result).toBe('mismatch');
    expect(c.fields.amount).toEqual({ result: 'mismatch', legacy: 12_345, shadow: 12_000 });
    expect(c.fields.outcome.result).toBe('match');
  });

  it('when legacy completed and the shadow side declined, then outcome and reason mismatch', () => {
    const c = compareOutcomes(completed(5_000), failed('ValidateOrder', FailureType.insufficientStock, null));
    expect(c.result).toBe('mismatch');
    expect(c.fields.outcome).toEqual({ result: 'mismatch', legacy: 'completed', shadow: 'declined' });
    expect(c.fields.reason).toEqual({ result: 'mismatch', legacy: null, shadow: 'InsufficientStock' });
    expect(c.fields.amount).toEqual({ result: 'mismatch', legacy: 5_000, shadow: null });
  });

  it('when both declined for different reasons, then the reason mismatches and the outcome matches', () => {
    const c = compareOutcomes(
      failed('ValidateOrder', FailureType.customerNotEligible, null),
      failed('ValidateOrder', FailureType.insufficientStock, null),
    );
    expect(c.result).toBe('mismatch');
    expect(c.fields.outcome.result).toBe('match');
    expect(c.fields.reason.result).toBe('mismatch');
  });

  it('when both declined for the same reason before pricing, then it is a match', () => {
    const legacy = failed('ValidateOrder', FailureType.customerNotEligible, null);
    expect(compareOutcomes(legacy, legacy).result).toBe('match');
  });

  it('when legacy refused a review-flagged order and the shadow side waited for no reviewer, then it is a match', () => {
    const c = compareOutcomes(
      failed(
        'RunFraudCheck',
        FailureType.fraudRejected,
        250_000,
        'fraud check: review (score 0.5; no manual review in the synchronous pipeline)',
      ),
      failed(
        'HumanReview',
        FailureType.reviewDeadlineExceeded,
        250_000,
        'no review decision within 1 seconds',
      ),
    );
    expect(c.result).toBe('match');
    expect(c.fields.reason).toEqual({ result: 'match', legacy: 'FraudReview', shadow: 'FraudReview' });
  });

  it('when legacy rejected for fraud and the shadow side only flagged for review, then the reason mismatches', () => {
    const c = compareOutcomes(
      failed('RunFraudCheck', FailureType.fraudRejected, 2_000_000, 'fraud check: reject (score 0.99)'),
      failed('HumanReview', FailureType.reviewDeadlineExceeded, 2_000_000),
    );
    expect(c.fields.reason).toEqual({ result: 'mismatch', legacy: 'FraudRejected', shadow: 'FraudReview' });
    expect(c.result).toBe('mismatch');
  });

  it('when legacy failed at a step the shadow side only records (payment), then outcome and reason are unverifiable, the amount still compared', () => {
    const c = compareOutcomes(failed('ProcessPayment', FailureType.paymentDeclined, 7_000), completed(7_000));
    expect(c.result).toBe('unverifiable');
    expect(c.fields.outcome.result).toBe('unverifiable');
    expect(c.fields.reason.result).toBe('unverifiable');
    expect(c.fields.amount.result).toBe('match');
  });

  it('when legacy failed technically but priced, then a different shadow total is still a mismatch', () => {
    const c = compareOutcomes(failed('CreateShipment', 'CheckoutDeadlineExceeded', 7_000), completed(7_100));
    expect(c.fields.outcome.result).toBe('unverifiable');
    expect(c.fields.amount.result).toBe('mismatch');
    expect(c.result).toBe('mismatch');
  });

  it('when legacy failed technically before pricing, then nothing is verifiable and nothing mismatches', () => {
    const c = compareOutcomes(
      failed('CalculatePricing', FailureType.downstreamUnavailable, null),
      completed(7_000),
    );
    expect(c.result).toBe('unverifiable');
    expect(c.fields.amount.result).toBe('unverifiable');
  });

  it('when the shadow side failed technically where legacy completed, then the outcome mismatches', () => {
    const c = compareOutcomes(
      completed(7_000),
      failed('CalculatePricing', FailureType.downstreamUnavailable, null),
    );
    expect(c.fields.outcome).toEqual({ result: 'mismatch', legacy: 'completed', shadow: 'failed' });
  });
});

describe('outcomeOf and reasonOf', () => {
  it('when a failure type is a business decline, then the outcome is declined, else failed', () => {
    expect(outcomeOf(failed('ProcessPayment', FailureType.paymentDeclined, 1))).toBe('declined');
    expect(outcomeOf(failed('ProcessPayment', FailureType.downstreamUnavailable, 1))).toBe('failed');
    expect(outcomeOf({ status: 'failed', totalCents: null, failure: null })).toBe('failed');
  });

  it('when an order completed, then it has no reason even if a failure is attached', () => {
    expect(
      reasonOf({ status: 'completed', totalCents: 1, failure: { step: 'a', type: 'b', message: 'c' } }),
    ).toBeNull();
  });
});
