import { describe, expect, it } from 'vitest';
import { recordedTimeline } from '../../test/support/diagnose.ts';
import { ADR_STEPS } from '../../contracts/order/types.ts';

describe('order timeline from a recorded ProcessOrderWorkflow history', () => {
  it('when shipping declines after payment, then CreateShipment is the failing step and the three compensations ran in reverse order', () => {
    const t = recordedTimeline('declined-createShipment');
    expect(t.outcome).toBe('compensated');
    expect(t.workflowStatus).toBe('failed');
    expect(t.failedStep).toBe('CreateShipment');
    expect(t.cause).toMatchObject({
      type: 'TestDecline',
      message: 'createShipment declined',
      nonRetryable: true,
    });
    expect(t.cause?.service).toBe('fake');
    expect(t.recordedFailure).toMatchObject({ step: 'CreateShipment', type: 'TestDecline' });
    expect(t.runs.map((r) => [r.step, r.kind, r.outcome])).toEqual([
      ['ValidateOrder', 'step', 'completed'],
      ['CalculatePricing', 'step', 'completed'],
      ['RunFraudCheck', 'step', 'completed'],
      ['ReserveInventory', 'step', 'completed'],
      ['ProcessPayment', 'step', 'completed'],
      ['CreateShipment', 'step', 'failed'],
      ['CancelShipment', 'compensation', 'completed'],
      ['RefundPayment', 'compensation', 'completed'],
      ['ReleaseInventoryReservation', 'compensation', 'completed'],
      ['RecordOrderFailed', 'record', 'completed'],
    ]);
    expect(t.runs.find((r) => r.step === 'CancelShipment')?.detail).toBe('shipment cancelled');
    for (const run of t.runs) {
      expect(run.attempts).toBe(1);
      expect(run.durationMs).toBeGreaterThanOrEqual(run.lastAttemptMs ?? 0);
    }
    expect(Date.parse(t.closedAt!) - Date.parse(t.startedAt)).toBe(t.durationMs);
    expect(t.customerId).toBe('cust-alice');
  });

  it('when shipping keeps failing transiently, then the step shows its 3 attempts, the backoff in its duration and the previous attempt failure', () => {
    const t = recordedTimeline('shipment-retries-exhausted');
    const shipment = t.runs.find((r) => r.step === 'CreateShipment')!;
    expect(shipment).toMatchObject({
      outcome: 'failed',
      attempts: 3,
      retryState: 'MAXIMUM_ATTEMPTS_REACHED',
    });
    expect(shipment.failure?.type).toBe('DownstreamUnavailable');
    expect(shipment.previousAttemptFailure).toMatchObject({ type: 'DownstreamUnavailable' });
    // Backoff 1 s then 2 s: the step took at least 3 s although its last attempt took milliseconds.
    expect(shipment.durationMs).toBeGreaterThanOrEqual(3000);
    expect(shipment.lastAttemptMs).toBeLessThan(1000);
    expect(t.outcome).toBe('compensated');
    expect(t.cause).toMatchObject({ type: 'DownstreamUnavailable', nonRetryable: false });
  });

  it('when validation declines, then the order failed with nothing to compensate', () => {
    const t = recordedTimeline('declined-validateOrder');
    expect(t.outcome).toBe('failed');
    expect(t.failedStep).toBe('ValidateOrder');
    expect(t.runs.filter((r) => r.kind === 'compensation')).toEqual([]);
  });

  it('when the fraud check rejects, then RunFraudCheck is the failing step although its activity completed', () => {
    const t = recordedTimeline('fraud-reject');
    expect(t.failedStep).toBe('RunFraudCheck');
    expect(t.cause?.type).toBe('FraudRejected');
    expect(t.runs.find((r) => r.step === 'RunFraudCheck')?.outcome).toBe('completed');
    expect(t.outcome).toBe('failed');
  });

  it('when a refund keeps failing, then the order is compensation_failed and the failed compensation is named', () => {
    const t = recordedTimeline('refund-fails');
    expect(t.outcome).toBe('compensation_failed');
    expect(t.runs.filter((r) => r.kind === 'compensation').map((r) => [r.step, r.outcome])).toEqual([
      ['CancelShipment', 'completed'],
      ['RefundPayment', 'failed'],
      ['ReleaseInventoryReservation', 'completed'],
    ]);
  });

  it('when nobody reviews a flagged order in time, then HumanReview is the failing step with the deadline as cause', () => {
    const t = recordedTimeline('review-deadline');
    expect(t.failedStep).toBe('HumanReview');
    expect(t.runs.find((r) => r.step === 'HumanReview')).toMatchObject({
      outcome: 'failed',
      failure: { type: 'ReviewDeadlineExceeded' },
    });
  });

  it('when a reviewer rejects, then the decision and the reviewer are on the timeline', () => {
    const t = recordedTimeline('review-reject');
    expect(t.review).toEqual({ decision: 'reject', reviewer: 'ops@orderflow' });
    expect(t.runs.find((r) => r.step === 'HumanReview')?.outcome).toBe('failed');
    expect(t.cause?.type).toBe('ReviewRejected');
  });

  it('when every step succeeds, then the order is completed with no failing step', () => {
    const t = recordedTimeline('happy-path');
    expect(t.outcome).toBe('completed');
    expect(t.failedStep).toBeUndefined();
    expect(t.cause).toBeUndefined();
    expect(t.runs.map((r) => r.step)).toEqual([...ADR_STEPS]);
  });

  describe('when ValidateOrder and CalculatePricing ran as local activities (the -v2 recordings)', () => {
    it('then every step of a completed order is on the timeline in ADR order, the read steps on the workflow task queue', () => {
      const t = recordedTimeline('happy-path-v2');
      expect(t.outcome).toBe('completed');
      expect(t.runs.map((r) => r.step)).toEqual([...ADR_STEPS]);
      for (const step of ['ValidateOrder', 'CalculatePricing']) {
        expect(t.runs.find((r) => r.step === step)).toMatchObject({
          outcome: 'completed',
          attempts: 1,
          taskQueue: 'order-processing',
        });
      }
    });

    it('then a declined validation is the failing step with its cause and nothing to compensate', () => {
      const t = recordedTimeline('declined-validateOrder-v2');
      expect(t.outcome).toBe('failed');
      expect(t.failedStep).toBe('ValidateOrder');
      expect(t.runs.find((r) => r.step === 'ValidateOrder')).toMatchObject({
        outcome: 'failed',
        retryState: 'NON_RETRYABLE_FAILURE',
        failure: { type: 'TestDecline', nonRetryable: true },
      });
      expect(t.runs.filter((r) => r.kind === 'compensation')).toEqual([]);
    });

    it('then a declined pricing step is named, after a completed validation', () => {
      const t = recordedTimeline('declined-calculatePricing-v2');
      expect(t.failedStep).toBe('CalculatePricing');
      expect(t.runs.map((r) => [r.step, r.outcome])).toEqual([
        ['ValidateOrder', 'completed'],
        ['CalculatePricing', 'failed'],
        ['RecordOrderFailed', 'completed'],
      ]);
    });
  });
});
