import { describe, expect, it } from 'vitest';
import { decide, DEFAULT_POLICY, REASONS, validatePolicy, type GateInput } from './decide.ts';

const MIN = 60_000;
const policy = { ...DEFAULT_POLICY, soakMs: 10 * MIN, minCanaryOrders: 40 };
const healthy: GateInput = {
  now: 15 * MIN,
  phaseStartedAt: 0,
  share: 0.1,
  outcomes: { canary: { orders: 60, failed: 0, slow: 1 }, baseline: { orders: 540, failed: 3, slow: 10 } },
  breaches: [],
};

describe('decide (the canary gate)', () => {
  it('advances a healthy canary past its soak and minimum of orders, with the evidence', () => {
    const d = decide(healthy, policy);
    expect(d.verdict).toBe('advance');
    expect(d.reason).toBe(REASONS.healthy);
    expect(d.evidence.canary).toEqual(healthy.outcomes!.canary);
    expect(d.evidence.failedEvidence).toBeLessThan(d.evidence.threshold);
    expect(d.evidence.threshold).toBe(2 / policy.alpha);
  });

  it('holds, never passes, with no data: metrics unreadable, no canary order, no baseline order', () => {
    expect(decide({ ...healthy, outcomes: undefined }, policy)).toMatchObject({
      verdict: 'hold',
      reason: REASONS.metricsUnavailable,
    });
    const none = { orders: 0, failed: 0, slow: 0 };
    expect(decide({ ...healthy, outcomes: { canary: none, baseline: none } }, policy)).toMatchObject({
      verdict: 'hold',
      reason: REASONS.noCanaryOrders,
    });
    expect(
      decide({ ...healthy, outcomes: { canary: healthy.outcomes!.canary, baseline: none } }, policy),
    ).toMatchObject({ verdict: 'hold', reason: REASONS.noBaselineOrders });
    // An hour of silence is still not a pass.
    expect(
      decide({ ...healthy, now: 60 * MIN, outcomes: { canary: none, baseline: none } }, policy).verdict,
    ).toBe('hold');
  });

  it('holds when the invariants of canary orders could not be checked', () => {
    expect(decide({ ...healthy, breaches: undefined }, policy)).toMatchObject({
      verdict: 'hold',
      reason: REASONS.invariantsUnavailable,
    });
  });

  it('rolls back at once on an invariant breach, even in the first minute with no other data', () => {
    const d = decide(
      {
        ...healthy,
        now: 30_000,
        outcomes: undefined,
        breaches: [{ orderId: 'ord_1', invariant: 'double-charge', detail: '2 captured intents' }],
      },
      policy,
    );
    expect(d).toMatchObject({ verdict: 'rollback', reason: REASONS.invariantBreach });
    expect(d.summary).toContain('double-charge');
    expect(d.evidence.breaches).toHaveLength(1);
  });

  it('rolls back a failure regression before the soak ends', () => {
    const d = decide(
      {
        ...healthy,
        now: 3 * MIN,
        outcomes: {
          canary: { orders: 12, failed: 4, slow: 0 },
          baseline: { orders: 108, failed: 1, slow: 2 },
        },
      },
      policy,
    );
    expect(d).toMatchObject({ verdict: 'rollback', reason: REASONS.failureRegression });
    expect(d.evidence.failedEvidence).toBeGreaterThanOrEqual(d.evidence.threshold);
  });

  it('rolls back a latency regression (the canary slow, the baseline not)', () => {
    const d = decide(
      {
        ...healthy,
        now: 2 * MIN,
        outcomes: { canary: { orders: 8, failed: 0, slow: 8 }, baseline: { orders: 72, failed: 0, slow: 1 } },
      },
      policy,
    );
    expect(d).toMatchObject({ verdict: 'rollback', reason: REASONS.latencyRegression });
  });

  it('waits, healthy, until the minimum of canary orders and the soak are reached', () => {
    expect(
      decide(
        {
          ...healthy,
          outcomes: { canary: { orders: 39, failed: 0, slow: 0 }, baseline: healthy.outcomes!.baseline },
        },
        policy,
      ),
    ).toMatchObject({ verdict: 'wait', reason: REASONS.tooFewOrders });
    expect(decide({ ...healthy, now: 9 * MIN }, policy)).toMatchObject({
      verdict: 'wait',
      reason: REASONS.soaking,
    });
  });

  it('carries the evidence of earlier phases: what was suspicious at 10% counts at 50%', () => {
    const input: GateInput = {
      ...healthy,
      share: 0.5,
      outcomes: { canary: { orders: 60, failed: 3, slow: 0 }, baseline: { orders: 60, failed: 0, slow: 0 } },
    };
    expect(decide(input, policy).verdict).toBe('advance');
    expect(decide({ ...input, carried: { failed: 60, slow: 1 } }, policy)).toMatchObject({
      verdict: 'rollback',
      reason: REASONS.failureRegression,
    });
  });

  it('refuses a policy that cannot be honoured', () => {
    expect(() => validatePolicy({ ...policy, alpha: 0 })).toThrow(/alpha/);
    expect(() => validatePolicy({ ...policy, tolerance: 0.5 })).toThrow(/tolerance/);
    expect(() => validatePolicy({ ...policy, minCanaryOrders: 0 })).toThrow(/minCanaryOrders/);
    expect(() => validatePolicy({ ...policy, soakMs: -1 })).toThrow(/soak/);
    expect(() => decide({ ...healthy, share: 1 }, policy)).toThrow(/share/);
  });
});
