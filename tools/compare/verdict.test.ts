import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, failedCheckouts, judgeComparison, share, type PipelineFigures } from './verdict.ts';

const clean = (over: Partial<PipelineFigures> = {}): PipelineFigures => ({
  sent: 200,
  droppedIterations: 0,
  completed: 200,
  declined: 0,
  failed: 0,
  running: 0,
  notAccepted: 0,
  orphanedPayments: 0,
  doubleCharges: 0,
  lostOrders: 0,
  ...over,
});
/** What the October incident did to ADR-0031: 23% of checkouts failed, some after the charge. */
const october = clean({ completed: 154, failed: 46, orphanedPayments: 12 });

describe('judgeComparison', () => {
  it('when the saga completes every order and legacy fails 23%, then it passes and the gap is beyond chance', () => {
    const v = judgeComparison({ pipelines: { orchestrated: clean(), legacy: october } });
    expect(v.status).toBe('pass');
    expect(v.reasons).toEqual([]);
    expect(v.failedCheckouts.legacy.rate).toBeCloseTo(0.23);
    expect(v.difference).toBeCloseTo(0.23);
    expect(v.separated).toBe(true);
  });

  it('when the saga fails 1% or more of checkouts, then it fails naming the rate and the objective', () => {
    const v = judgeComparison({
      pipelines: { orchestrated: clean({ completed: 197, failed: 2, running: 1 }), legacy: october },
    });
    expect(v.status).toBe('fail');
    expect(v.reasons).toEqual(['orchestrated: 1.5% failed checkouts (3 of 200), ADR objective < 1.0%']);
  });

  it('when the saga leaves one orphaned payment, double charge or lost order, then it fails for each', () => {
    const v = judgeComparison({
      pipelines: {
        orchestrated: clean({ orphanedPayments: 1, doubleCharges: 1, lostOrders: 1 }),
        legacy: october,
      },
    });
    expect(v.status).toBe('fail');
    expect(v.reasons).toEqual([
      'orchestrated: 1 orphaned payments',
      'orchestrated: 1 double charges',
      'orchestrated: 1 lost orders',
    ]);
  });

  it('when legacy breaks its own invariants, then that is evidence, not a failure of the run', () => {
    const v = judgeComparison({
      pipelines: { orchestrated: clean(), legacy: clean({ orphanedPayments: 40, lostOrders: 3 }) },
    });
    expect(v.status).toBe('pass');
  });

  it('when k6 dropped iterations on either side, then the run is invalid, never a pass', () => {
    const v = judgeComparison({
      pipelines: { orchestrated: clean(), legacy: clean({ droppedIterations: 4 }) },
    });
    expect(v.status).toBe('invalid');
    expect(v.reasons).toEqual(['legacy: k6 dropped 4 iterations (the load was not offered)']);
  });

  it('when a side sent too few orders to show a rate, then the run is invalid', () => {
    const v = judgeComparison({
      pipelines: { orchestrated: clean({ sent: 2, completed: 2 }), legacy: october },
    });
    expect(v.status).toBe('invalid');
    expect(v.reasons[0]).toMatch(/orchestrated: 2 orders sent, fewer than 5/);
  });

  it('when the outcomes do not add up to the orders sent, then the run is invalid', () => {
    const v = judgeComparison({ pipelines: { orchestrated: clean({ completed: 190 }), legacy: october } });
    expect(v.status).toBe('invalid');
    expect(v.reasons).toEqual(['orchestrated: 190 outcomes for 200 orders sent']);
  });

  it('when the stack was not ready, the fault was left over, or the ledger was not read, then it is invalid for each', () => {
    const v = judgeComparison({
      stackProblem: 'not ready: order-worker',
      faultProblem: 'not removed: toxic',
      factsProblem: 'legacy: payment-gateway answered 503',
      pipelines: { orchestrated: clean(), legacy: october },
    });
    expect(v.status).toBe('invalid');
    expect(v.reasons).toHaveLength(3);
  });

  it('when the stack was not ready and nothing was sent, then that is the one reason given', () => {
    const empty = clean({ sent: 0, completed: 0 });
    const v = judgeComparison({
      stackProblem: 'order-worker down',
      pipelines: { orchestrated: empty, legacy: empty },
    });
    expect(v).toMatchObject({ status: 'invalid', reasons: ['stack not ready: order-worker down'] });
  });

  it('when nothing was sent at all, then it is invalid (no data is never a pass)', () => {
    const empty = clean({ sent: 0, completed: 0 });
    expect(judgeComparison({ pipelines: { orchestrated: empty, legacy: empty } }).status).toBe('invalid');
  });

  it('when both pipelines fail alike, then the intervals overlap and the gap is not called', () => {
    const v = judgeComparison({
      pipelines: {
        orchestrated: clean({ completed: 199, failed: 1 }),
        legacy: clean({ completed: 198, failed: 2 }),
      },
    });
    expect(v.separated).toBe(false);
  });

  it('has the ADR objective and a minimum of orders as its default limits', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxFailedCheckoutRate: 0.01, minOrdersPerPipeline: 5 });
  });
});

describe('failedCheckouts and share', () => {
  it('counts technical failures, orders still running and orders never accepted, not declines', () => {
    expect(
      failedCheckouts(clean({ completed: 190, declined: 4, failed: 3, running: 2, notAccepted: 1 })),
    ).toBe(6);
  });

  it('gives the Wilson 95% interval: 0 of 10 is still up to ~28%, 23 of 100 about 16–32%', () => {
    const none = share(0, 10);
    expect(none.rate).toBe(0);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.2775, 3);
    const some = share(23, 100);
    expect(some.low).toBeCloseTo(0.1584, 3);
    expect(some.high).toBeCloseTo(0.3215, 3);
  });

  it('gives the whole range for no orders', () => {
    expect(share(0, 0)).toEqual({ count: 0, of: 0, rate: 0, low: 0, high: 1 });
  });
});
