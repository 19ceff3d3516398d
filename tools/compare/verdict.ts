// The comparison's verdict, pure: both pipelines' figures in, pass / fail / invalid out, with the reasons.
// It judges ADR-0047's claim for the orchestrated pipeline under the fault: < 1% failed checkouts (the ADR's
// objective), no orphaned payment, no double charge, no lost order. The legacy pipeline is the baseline it is
// compared with, in the same window: its figures are evidence, not a gate (ADR-0031 was never held to them).
// A run that cannot support a verdict (stack not ready, dropped iterations, a fault not applied or left over,
// too few orders, outcomes that do not add up, systems of record not read) is invalid, never a pass.

export const PIPELINES = ['orchestrated', 'legacy'] as const;
export type Pipeline = (typeof PIPELINES)[number];

export interface PipelineFigures {
  readonly sent: number;
  readonly droppedIterations: number;
  readonly completed: number;
  readonly declined: number;
  /** Ended failed for a technical reason (a deadline, a timeout, a 5xx), not a decline. */
  readonly failed: number;
  /** Not ended when the drain bound passed. */
  readonly running: number;
  /** Sent, but no order record: the request never got in. */
  readonly notAccepted: number;
  /** Money kept for an order that did not complete (reconcile's orphaned-payment invariant). */
  readonly orphanedPayments: number;
  readonly doubleCharges: number;
  readonly lostOrders: number;
}

export interface CompareInput {
  readonly stackProblem?: string;
  /** A fault already there before the run, or one that could not be removed after it. */
  readonly faultProblem?: string;
  /** The payment ledger, inventory or shipping could not be read for the invariants. */
  readonly factsProblem?: string;
  readonly pipelines: Readonly<Record<Pipeline, PipelineFigures>>;
}

export interface CompareLimits {
  /** ADR-0047's objective: failed checkouts (technical, not declines) below this share of orders sent. */
  readonly maxFailedCheckoutRate: number;
  /** Fewer orders than this on a side cannot show a rate at all. */
  readonly minOrdersPerPipeline: number;
}

export const DEFAULT_LIMITS: CompareLimits = { maxFailedCheckoutRate: 0.01, minOrdersPerPipeline: 5 };

/** A share with its 95% Wilson score interval (sound at small counts and at 0 or 100%). */
export interface Share {
  readonly count: number;
  readonly of: number;
  readonly rate: number;
  readonly low: number;
  readonly high: number;
}

export function share(count: number, of: number, z = 1.96): Share {
  if (of <= 0) return { count, of, rate: 0, low: 0, high: 1 };
  const p = count / of;
  const z2 = z * z;
  const denominator = 1 + z2 / of;
  const centre = (p + z2 / (2 * of)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / of + z2 / (4 * of * of))) / denominator;
  return { count, of, rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** A failed checkout, as the customer sees it: no order completed and no business rule refused it. */
export const failedCheckouts = (p: PipelineFigures): number => p.failed + p.running + p.notAccepted;

export type CompareStatus = 'pass' | 'fail' | 'invalid';

export interface CompareVerdict {
  readonly status: CompareStatus;
  readonly reasons: readonly string[];
  readonly failedCheckouts: Readonly<Record<Pipeline, Share>>;
  /** legacy − orchestrated failed-checkout rate. */
  readonly difference: number;
  /** The 95% intervals do not overlap: the pipelines differ beyond chance at these counts. */
  readonly separated: boolean;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function judgeComparison(input: CompareInput, limits: CompareLimits = DEFAULT_LIMITS): CompareVerdict {
  const { orchestrated, legacy } = input.pipelines;
  const rates = {
    orchestrated: share(failedCheckouts(orchestrated), orchestrated.sent),
    legacy: share(failedCheckouts(legacy), legacy.sent),
  };
  const difference = rates.legacy.rate - rates.orchestrated.rate;
  const separated = rates.legacy.low > rates.orchestrated.high || rates.orchestrated.low > rates.legacy.high;
  const base = { failedCheckouts: rates, difference, separated };

  const invalid: string[] = [];
  if (input.stackProblem) invalid.push(`stack not ready: ${input.stackProblem}`);
  if (input.faultProblem) invalid.push(`fault: ${input.faultProblem}`);
  if (input.factsProblem) invalid.push(`systems of record not read: ${input.factsProblem}`);
  // A run stopped before sending (stack not ready, a fault in the way) is invalid for that reason alone.
  const stoppedEarly = invalid.length > 0 && PIPELINES.every((name) => input.pipelines[name].sent === 0);
  for (const name of stoppedEarly ? [] : PIPELINES) {
    const p = input.pipelines[name];
    if (p.droppedIterations > 0)
      invalid.push(`${name}: k6 dropped ${p.droppedIterations} iterations (the load was not offered)`);
    if (p.sent < limits.minOrdersPerPipeline)
      invalid.push(`${name}: ${p.sent} orders sent, fewer than ${limits.minOrdersPerPipeline}`);
    const accounted = p.completed + p.declined + p.failed + p.running + p.notAccepted;
    if (accounted !== p.sent) invalid.push(`${name}: ${accounted} outcomes for ${p.sent} orders sent`);
  }
  if (invalid.length > 0) return { status: 'invalid', reasons: invalid, ...base };

  const reasons: string[] = [];
  const o = orchestrated;
  if (rates.orchestrated.rate >= limits.maxFailedCheckoutRate)
    reasons.push(
      `orchestrated: ${pct(rates.orchestrated.rate)} failed checkouts (${failedCheckouts(o)} of ${o.sent}), ADR objective < ${pct(limits.maxFailedCheckoutRate)}`,
    );
  if (o.orphanedPayments > 0) reasons.push(`orchestrated: ${o.orphanedPayments} orphaned payments`);
  if (o.doubleCharges > 0) reasons.push(`orchestrated: ${o.doubleCharges} double charges`);
  if (o.lostOrders > 0) reasons.push(`orchestrated: ${o.lostOrders} lost orders`);
  return { status: reasons.length === 0 ? 'pass' : 'fail', reasons, ...base };
}
