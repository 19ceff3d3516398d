// The verdict of one chaos experiment: pure, so the unit tests feed it failing input. INVALID (exit 2) when
// nothing trustworthy was measured: the background load was invalid (k6 dropped arrivals, the stack was not
// ready), the steady state did not hold before the fault, or no order was accepted while the fault lasted.
// Otherwise PASS (exit 0) only when every gating check holds, else FAIL (exit 1).
import type { Check, VerdictStatus } from '../load/verdict.ts';
import type { OutcomeClass } from '../load/reconcile.ts';
import type { Expectation, Phase } from './experiment.ts';

export interface ProbeResult {
  readonly phase: Phase;
  readonly name: string;
  readonly ok: boolean;
  /** What was seen: the query's value, `no data`, or the broken invariants. */
  readonly value: string;
}

/** One order the experiment sent, with what the store and the reconciliation say about it. */
export interface ChaosOrder {
  readonly orderId: string;
  readonly acceptedAt: number;
  readonly outcome: OutcomeClass;
  readonly status: string;
  readonly failureStep?: string;
  /** Every registered compensation completed. */
  readonly compensatedCleanly: boolean;
  /** Invariants broken for this order (tools/reconcile). */
  readonly violations: readonly string[];
}

export interface ChaosMeasurements {
  /** The background load's own reasons to be invalid (tools/load verdict). */
  readonly loadInvalid: readonly string[];
  readonly probes: readonly ProbeResult[];
  readonly fault: { readonly startMs: number; readonly endMs: number };
  readonly orders: readonly ChaosOrder[];
  /** When each POST /orders that was not answered 202 was sent (epoch ms): a technical failure too. */
  readonly notAccepted?: readonly number[];
  readonly rollback: { readonly failed: readonly string[]; readonly leftovers: readonly string[] };
  readonly detect?: { readonly alert: string; readonly firedAfterMs?: number };
  readonly diagnose?: { readonly expected: string; readonly namedAfterMs?: number };
}

export interface ChaosVerdict {
  readonly status: VerdictStatus;
  readonly exitCode: 0 | 1 | 2;
  readonly checks: readonly Check[];
  readonly invalidReasons: readonly string[];
  readonly inFault: { readonly sent: number; readonly technical: number; readonly rate: number };
  readonly declared?: { readonly failures: number; readonly notClean: number };
}

/** ADR-0047: an SRE names the cause in < 5 minutes; our own goal is 60 s. */
export const DIAGNOSE_ADR_MS = 5 * 60_000;
export const DIAGNOSE_OWN_MS = 60_000;
/** Our own bar for technical failures, reported beside the ADR's. */
export const OWN_FAILURE_RATE = 0.001;

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.01 ? 3 : 2)}%`;
const secs = (ms: number | undefined): string =>
  ms === undefined ? 'not seen' : `${(ms / 1000).toFixed(1)} s`;
const technical = (o: ChaosOrder): boolean => o.outcome === 'failed' || o.outcome === 'running';

export function judgeExperiment(m: ChaosMeasurements, expect: Expectation): ChaosVerdict {
  const inWindow = m.orders.filter((o) => o.acceptedAt >= m.fault.startMs && o.acceptedAt < m.fault.endMs);
  const rejected = (m.notAccepted ?? []).filter((at) => at >= m.fault.startMs && at < m.fault.endMs).length;
  const invalidReasons = [...m.loadInvalid];
  for (const p of m.probes.filter((p) => p.phase === 'before' && !p.ok))
    invalidReasons.push(`steady state did not hold before the fault: ${p.name} (${p.value})`);
  if (inWindow.length === 0) invalidReasons.push('no order was accepted while the fault lasted');

  const checks: Check[] = [];
  const gate = (name: string, value: string, limit: string, ok: boolean, gating = true): void => {
    checks.push({ name, value, limit, ok, gating });
  };
  for (const p of m.probes.filter((p) => p.phase !== 'before'))
    gate(`hypothesis ${p.phase}: ${p.name}`, p.value, 'holds', p.ok);

  const rollbackProblems = [...m.rollback.failed, ...m.rollback.leftovers];
  gate(
    'rollback: every injection undone, stack as found',
    rollbackProblems.join('; ') || 'done',
    'done',
    rollbackProblems.length === 0,
  );

  const running = m.orders.filter((o) => o.outcome === 'running').length;
  gate('orders still running after the drain', String(running), '0', running === 0);
  const broken = m.orders.filter((o) => o.violations.length > 0);
  gate(
    'saga invariants (no lost order, orphaned payment, double charge, …)',
    broken.length === 0
      ? 'all held'
      : `${broken.length} orders: ${[...new Set(broken.flatMap((o) => o.violations))].join(', ')}`,
    'all held',
    broken.length === 0,
  );

  let inFaultTechnical: ChaosOrder[];
  let declared: ChaosVerdict['declared'];
  if (expect.kind === 'absorbed') {
    inFaultTechnical = inWindow.filter(technical);
  } else {
    const isDeclared = (o: ChaosOrder): boolean => o.outcome === 'failed' && o.failureStep === expect.step;
    const failures = m.orders.filter(isDeclared);
    const notClean = failures.filter(
      (o) => o.status !== 'failed' || !o.compensatedCleanly || o.violations.length > 0,
    );
    declared = { failures: failures.length, notClean: notClean.length };
    gate(
      `declared failures at ${expect.step} (${expect.service})`,
      String(failures.length),
      '≥ 1 (the fault bit)',
      failures.length > 0,
    );
    gate(
      'declared failures compensated cleanly (refund, release, cancel; no invariant broken)',
      `${failures.length - notClean.length} of ${failures.length}`,
      'all',
      notClean.length === 0,
    );
    inFaultTechnical = inWindow.filter((o) => technical(o) && !isDeclared(o));
  }
  const sent = inWindow.length + rejected;
  const failedInFault = inFaultTechnical.length + rejected;
  const rate = sent > 0 ? failedInFault / sent : 0;
  const limit = expect.kind === 'absorbed' ? expect.maxTechnicalFailureRate : 0.01;
  const what = expect.kind === 'absorbed' ? 'technical failures' : 'undeclared technical failures';
  gate(
    `${what} among orders accepted during the fault (ADR)`,
    `${failedInFault} of ${sent} = ${pct(rate)}`,
    `< ${pct(limit)}`,
    rate < limit,
  );
  gate(
    `${what} during the fault (our bar)`,
    pct(rate),
    `< ${pct(OWN_FAILURE_RATE)}`,
    rate < OWN_FAILURE_RATE,
    false,
  );

  if (m.detect)
    gate(
      `time to detect: ${m.detect.alert} firing (compressed rules)`,
      secs(m.detect.firedAfterMs),
      'fires',
      m.detect.firedAfterMs !== undefined,
    );
  if (m.diagnose) {
    const t = m.diagnose.namedAfterMs;
    gate(
      `time to diagnose: diagnose --since names ${m.diagnose.expected} (ADR)`,
      secs(t),
      `< ${DIAGNOSE_ADR_MS / 60_000} min`,
      t !== undefined && t < DIAGNOSE_ADR_MS,
    );
    gate(
      'time to diagnose (our goal)',
      secs(t),
      `≤ ${DIAGNOSE_OWN_MS / 1000} s`,
      t !== undefined && t <= DIAGNOSE_OWN_MS,
      false,
    );
  }

  const status: VerdictStatus =
    invalidReasons.length > 0 ? 'invalid' : checks.every((c) => !c.gating || c.ok) ? 'pass' : 'fail';
  return {
    status,
    exitCode: status === 'pass' ? 0 : status === 'fail' ? 1 : 2,
    checks,
    invalidReasons,
    inFault: { sent, technical: failedInFault, rate },
    ...(declared ? { declared } : {}),
  };
}
