// The sequential test of the gate: an always-valid mixture SPRT on how bad events (technical failures, slow
// orders) split between canary and baseline, the conditional test of Lindon et al., "Rapid Regression Detection
// in Software Deployments through Sequential Testing" (Netflix, KDD 2022). Given the canary takes a share s of
// orders, a bad event that is equally likely on both sides lands on the canary with probability
// θ0 = s·ρ / (s·ρ + 1 − s) (ρ: the tolerated ratio of rates). The likelihood ratio against θ0 of a mixture of
// one-sided alternatives θ > θ0 is a nonnegative supermartingale under the null, so by Ville's inequality it
// crosses 1/α with probability at most α however often it is looked at: checking every minute costs nothing.
// No statistics library in the registry does this (simple-statistics, jStat: fixed-sample tests only).

export interface BadEventSplit {
  /** Bad events on the canary side. */
  readonly canary: number;
  /** Bad events on the baseline side, in the same window. */
  readonly baseline: number;
}

export interface SplitTest {
  /** The canary's share of orders, 0 < share < 1. */
  readonly share: number;
  /** Tolerated ratio of the canary's rate to the baseline's (1: any excess counts). */
  readonly tolerance: number;
  /** The mixture's alternatives, as ratios of rates above the tolerance (each weighted equally). */
  readonly ratios: readonly number[];
}

/** The probability that a bad event is the canary's when its rate is `ratio` times the baseline's. */
export const canaryProbability = (share: number, ratio: number): number =>
  (share * ratio) / (share * ratio + 1 - share);

/**
 * The e-value (mixture likelihood ratio) that the canary's rate of bad events exceeds `tolerance` times the
 * baseline's. 1 with no bad events; large when they pile up on the canary. Reject at 1/α.
 */
export function splitEvidence(split: BadEventSplit, test: SplitTest): number {
  if (!(test.share > 0 && test.share < 1)) throw new RangeError(`share ${test.share} is not in (0, 1)`);
  if (test.ratios.length === 0) throw new RangeError('the mixture needs at least one alternative ratio');
  for (const n of [split.canary, split.baseline])
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`event count ${n} is not a count`);
  const theta0 = canaryProbability(test.share, test.tolerance);
  const logTerms = test.ratios.map((r) => {
    if (!(r > 1)) throw new RangeError(`alternative ratio ${r} must be above 1`);
    const theta = canaryProbability(test.share, test.tolerance * r);
    return split.canary * Math.log(theta / theta0) + split.baseline * Math.log((1 - theta) / (1 - theta0));
  });
  // log-sum-exp: thousands of events must not overflow.
  const max = Math.max(...logTerms);
  return Math.exp(max) * (logTerms.reduce((s, l) => s + Math.exp(l - max), 0) / logTerms.length);
}
