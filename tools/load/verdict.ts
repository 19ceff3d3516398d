// The verdict of a load run, from its outcome: pure, so the unit tests feed it failing input. A run is
// INVALID (exit 2) when it did not measure what it claims: the stack was not ready, k6 could not hold the
// arrival rate (dropped iterations: an open model that dropped arrivals measured a lighter load), or nothing
// was sent. Otherwise it PASSES (exit 0) only if every gating check holds, else it FAILS (exit 1).
import type { Thresholds } from './profiles.ts';

/** Every order the run sent, accounted for after the drain. */
export interface Outcomes {
  /** Orders k6 sent (its submit requests: one order per iteration, interrupted iterations included). */
  readonly sent: number;
  /** POST /orders not answered 202 (5xx, timeouts): nothing was accepted, a technical failure. */
  readonly notAccepted: number;
  readonly completed: number;
  /** Ended failed by a business decision (isBusinessDecline): not a technical failure. */
  readonly declined: number;
  /** Ended failed or compensation_failed for a technical reason. */
  readonly failed: number;
  /** Not terminal when the drain bound passed: a failure. */
  readonly running: number;
  /** Answered 202 but absent from the order store: a lost order. */
  readonly missing: number;
}

export interface RunMeasurements {
  readonly stackReady: boolean;
  readonly stackProblem?: string;
  readonly droppedIterations: number;
  readonly outcomes: Outcomes;
  /** p99 of the 202 answers of POST /orders, ms (undefined: no sample). */
  readonly acceptP99Ms: number | undefined;
  /** p99 of acceptance → terminal status, ms, review orders excluded (undefined: no terminal order). */
  readonly acceptToTerminalP99Ms: number | undefined;
}

export interface Check {
  readonly name: string;
  readonly value: string;
  readonly limit: string;
  readonly ok: boolean;
  /** A gating check decides pass/fail; the others are reported. */
  readonly gating: boolean;
}

export type VerdictStatus = 'pass' | 'fail' | 'invalid';

export interface Verdict {
  readonly status: VerdictStatus;
  readonly exitCode: 0 | 1 | 2;
  readonly checks: readonly Check[];
  readonly invalidReasons: readonly string[];
  readonly technicalFailures: number;
  readonly technicalFailureRate: number;
}

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.01 ? 3 : 2)}%`;
const ms = (x: number | undefined): string => (x === undefined ? 'no sample' : `${Math.round(x)} ms`);

export function technicalFailuresOf(o: Outcomes): number {
  return o.notAccepted + o.failed + o.running + o.missing;
}

export function judge(m: RunMeasurements, t: Thresholds): Verdict {
  const o = m.outcomes;
  const technical = technicalFailuresOf(o);
  const rate = o.sent > 0 ? technical / o.sent : 0;
  const accountedFor = o.notAccepted + o.completed + o.declined + o.failed + o.running + o.missing;

  const invalidReasons: string[] = [];
  if (!m.stackReady) invalidReasons.push(`stack not ready${m.stackProblem ? `: ${m.stackProblem}` : ''}`);
  if (m.droppedIterations > 0)
    invalidReasons.push(
      `k6 dropped ${m.droppedIterations} iterations: the offered rate was not held (more VUs or a lower rate)`,
    );
  if (o.sent === 0) invalidReasons.push('no order was sent');
  if (accountedFor !== o.sent)
    invalidReasons.push(
      `${accountedFor} orders accounted for, ${o.sent} sent: the reconciliation is incomplete`,
    );

  const checks: Check[] = [
    {
      name: 'technical failures (ADR)',
      value: `${technical} = ${pct(rate)}`,
      limit: `< ${pct(t.technicalFailureRate)}`,
      ok: rate < t.technicalFailureRate,
      gating: true,
    },
    {
      name: 'technical failures (our bar)',
      value: pct(rate),
      limit: `< ${pct(t.ownTechnicalFailureRate)}`,
      ok: rate < t.ownTechnicalFailureRate,
      gating: false,
    },
    {
      name: 'orders still running after the drain',
      value: String(o.running),
      limit: '0',
      ok: o.running === 0,
      gating: true,
    },
    {
      name: 'accepted orders missing from the store',
      value: String(o.missing),
      limit: '0',
      ok: o.missing === 0,
      gating: true,
    },
    {
      name: 'accept p99 (POST /orders → 202)',
      value: ms(m.acceptP99Ms),
      limit: `≤ ${t.acceptP99Ms} ms`,
      ok: m.acceptP99Ms !== undefined && m.acceptP99Ms <= t.acceptP99Ms,
      gating: true,
    },
    {
      name: 'accept → terminal p99',
      value: ms(m.acceptToTerminalP99Ms),
      limit: `≤ ${t.acceptToTerminalP99Ms} ms`,
      ok: m.acceptToTerminalP99Ms !== undefined && m.acceptToTerminalP99Ms <= t.acceptToTerminalP99Ms,
      gating: true,
    },
    {
      name: 'dropped iterations (k6)',
      value: String(m.droppedIterations),
      limit: '0 (else invalid)',
      ok: m.droppedIterations === 0,
      gating: false,
    },
  ];

  const status: VerdictStatus =
    invalidReasons.length > 0 ? 'invalid' : checks.every((c) => !c.gating || c.ok) ? 'pass' : 'fail';
  return {
    status,
    exitCode: status === 'pass' ? 0 : status === 'fail' ? 1 : 2,
    checks,
    invalidReasons,
    technicalFailures: technical,
    technicalFailureRate: rate,
  };
}
