// The payment retry policy is bounded by time, not by a count of attempts (docs/payment-retries.md).
import { describe, expect, it } from 'vitest';
import { PAYMENT_RETRY_BUDGET, processPaymentOptions } from './policies.ts';

describe('processPaymentOptions', () => {
  it('when the gateway keeps failing, then the retries end with the schedule-to-close budget, not an attempt count', () => {
    expect(processPaymentOptions.scheduleToCloseTimeout).toBe(PAYMENT_RETRY_BUDGET);
    expect(PAYMENT_RETRY_BUDGET).toBe('5 minutes');
    expect('maximumAttempts' in processPaymentOptions.retry).toBe(false);
  });

  it('when an attempt hangs, then its start-to-close ends it well inside the budget', () => {
    expect(processPaymentOptions.startToCloseTimeout).toBe('30 seconds');
    expect(processPaymentOptions.retry.maximumInterval).toBe('10 seconds');
  });
});
