// The canary gate: one pure function from what was observed in a phase (canary and baseline in the same window,
// and the saga's invariants on canary orders) to a verdict with its evidence. Four verdicts, never a silent pass:
//   rollback  an invariant breach (at once, whatever the counts), or the sequential test says the canary is worse
//   advance   soak elapsed, enough canary orders, invariants read and clean, no regression
//   wait      healthy so far, but the soak or the minimum of orders is not reached
//   hold      the gate cannot judge: no canary or baseline orders, metrics or invariants unreadable
import { splitEvidence } from './evidence.ts';

export type Verdict = 'rollback' | 'advance' | 'wait' | 'hold';

export const REASONS = {
  invariantBreach: 'INVARIANT_BREACH',
  failureRegression: 'FAILURE_REGRESSION',
  latencyRegression: 'LATENCY_REGRESSION',
  metricsUnavailable: 'METRICS_UNAVAILABLE',
  invariantsUnavailable: 'INVARIANTS_UNAVAILABLE',
  noCanaryOrders: 'NO_CANARY_ORDERS',
  noBaselineOrders: 'NO_BASELINE_ORDERS',
  soaking: 'SOAKING',
  tooFewOrders: 'TOO_FEW_ORDERS',
  healthy: 'HEALTHY',
} as const;
export type Reason = (typeof REASONS)[keyof typeof REASONS];

/** Orders one pipeline finished in the window: all of them, the technical failures, the slow ones. */
export interface ArmOutcomes {
  readonly orders: number;
  readonly failed: number;
  readonly slow: number;
}

export interface Breach {
  readonly orderId: string;
  readonly invariant: string;
  readonly detail: string;
}

export interface GateInput {
  readonly now: number;
  readonly phaseStartedAt: number;
  /** The canary's share of orders in this phase, 0 < share < 1. */
  readonly share: number;
  /** undefined: the metrics could not be read. */
  readonly outcomes: { readonly canary: ArmOutcomes; readonly baseline: ArmOutcomes } | undefined;
  /** Invariant breaches of canary orders; undefined: they could not be checked. */
  readonly breaches: readonly Breach[] | undefined;
  /**
   * The e-values the earlier phases ended with: a phase's test restarts on its own window, and the product of
   * the phases' e-values is still an e-value (each phase's is a supermartingale given the ones before), so
   * evidence gathered at 10% is not thrown away at 50%.
   */
  readonly carried?: { readonly failed: number; readonly slow: number };
}

export interface GatePolicy {
  /** Bound on the probability of ever rolling back a canary no worse than the baseline (both tests together). */
  readonly alpha: number;
  /** Tolerated ratio of the canary's failure (or slow-order) rate to the baseline's. */
  readonly tolerance: number;
  /** Alternatives of the mixture: rate ratios above the tolerance. */
  readonly ratios: readonly number[];
  /** Canary orders finished in the phase before it may advance. */
  readonly minCanaryOrders: number;
  /** Time in a phase before it may advance. */
  readonly soakMs: number;
}

export const DEFAULT_POLICY: GatePolicy = {
  // Simulated at 40 orders/min (npm run canary -- simulate): 0 of 400 clean canaries rolled back, 91% of
  // +5% failure regressions rolled back before 100%; α = 0.05 catches more (98%) at ~1% false rollbacks.
  alpha: 0.01,
  tolerance: 1,
  ratios: [2, 4, 8, 16, 64],
  minCanaryOrders: 100,
  soakMs: 10 * 60_000,
};

export interface Evidence {
  readonly elapsedMs: number;
  readonly share: number;
  readonly canary: ArmOutcomes | null;
  readonly baseline: ArmOutcomes | null;
  /** e-values of the two sequential tests, and the bar either must reach (2/α: two tests). */
  readonly failedEvidence: number | null;
  readonly slowEvidence: number | null;
  readonly threshold: number;
  readonly breaches: readonly Breach[] | null;
}

export interface Decision {
  readonly verdict: Verdict;
  readonly reason: Reason;
  readonly summary: string;
  readonly evidence: Evidence;
}

export function validatePolicy(p: GatePolicy): GatePolicy {
  if (!(p.alpha > 0 && p.alpha < 1)) throw new RangeError(`alpha ${p.alpha} is not in (0, 1)`);
  if (!(p.tolerance >= 1)) throw new RangeError(`tolerance ${p.tolerance} is below 1`);
  if (!(Number.isInteger(p.minCanaryOrders) && p.minCanaryOrders >= 1))
    throw new RangeError(`minCanaryOrders ${p.minCanaryOrders} must be a positive integer`);
  if (!(p.soakMs >= 0)) throw new RangeError(`soak ${p.soakMs} ms is negative`);
  return p;
}

const fmt = (e: number): string => (e >= 1000 ? e.toExponential(1) : e.toFixed(1));

export function decide(input: GateInput, policy: GatePolicy = DEFAULT_POLICY): Decision {
  validatePolicy(policy);
  const threshold = 2 / policy.alpha;
  const elapsedMs = Math.max(0, input.now - input.phaseStartedAt);
  const o = input.outcomes;
  const test = { share: input.share, tolerance: policy.tolerance, ratios: policy.ratios };
  const carried = input.carried ?? { failed: 1, slow: 1 };
  const failedEvidence = o
    ? carried.failed * splitEvidence({ canary: o.canary.failed, baseline: o.baseline.failed }, test)
    : null;
  const slowEvidence = o
    ? carried.slow * splitEvidence({ canary: o.canary.slow, baseline: o.baseline.slow }, test)
    : null;
  const evidence: Evidence = {
    elapsedMs,
    share: input.share,
    canary: o?.canary ?? null,
    baseline: o?.baseline ?? null,
    failedEvidence,
    slowEvidence,
    threshold,
    breaches: input.breaches ?? null,
  };
  const verdict = (v: Verdict, reason: Reason, summary: string): Decision => ({
    verdict: v,
    reason,
    summary,
    evidence,
  });

  if (input.breaches && input.breaches.length > 0) {
    const kinds = [...new Set(input.breaches.map((b) => b.invariant))].join(', ');
    return verdict(
      'rollback',
      REASONS.invariantBreach,
      `${input.breaches.length} canary order(s) broke ${kinds}`,
    );
  }
  if (o && failedEvidence !== null && failedEvidence >= threshold)
    return verdict(
      'rollback',
      REASONS.failureRegression,
      `technical failures: canary ${o.canary.failed}/${o.canary.orders}, baseline ${o.baseline.failed}/${o.baseline.orders}, e=${fmt(failedEvidence)} ≥ ${fmt(threshold)}`,
    );
  if (o && slowEvidence !== null && slowEvidence >= threshold)
    return verdict(
      'rollback',
      REASONS.latencyRegression,
      `slow orders: canary ${o.canary.slow}/${o.canary.orders}, baseline ${o.baseline.slow}/${o.baseline.orders}, e=${fmt(slowEvidence)} ≥ ${fmt(threshold)}`,
    );
  if (!o)
    return verdict('hold', REASONS.metricsUnavailable, 'canary and baseline outcomes could not be read');
  if (o.canary.orders === 0) return verdict('hold', REASONS.noCanaryOrders, 'no canary order finished yet');
  if (o.baseline.orders === 0)
    return verdict('hold', REASONS.noBaselineOrders, 'no baseline order finished in the same window');
  if (!input.breaches)
    return verdict(
      'hold',
      REASONS.invariantsUnavailable,
      'the invariants of canary orders could not be checked',
    );
  if (o.canary.orders < policy.minCanaryOrders)
    return verdict(
      'wait',
      REASONS.tooFewOrders,
      `${o.canary.orders} of the ${policy.minCanaryOrders} canary orders needed`,
    );
  if (elapsedMs < policy.soakMs)
    return verdict(
      'wait',
      REASONS.soaking,
      `soaked ${Math.floor(elapsedMs / 1000)} s of ${Math.floor(policy.soakMs / 1000)} s`,
    );
  return verdict(
    'advance',
    REASONS.healthy,
    `canary ${o.canary.failed}/${o.canary.orders} failed, ${o.canary.slow} slow; baseline ${o.baseline.failed}/${o.baseline.orders} failed, ${o.baseline.slow} slow; no breach`,
  );
}
