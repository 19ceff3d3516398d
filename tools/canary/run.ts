// The gate at work: once per interval, read the phase's outcomes and the canary's invariants, decide, and
// record the decision (state file, a JSON log line with its evidence, Alertmanager), then act on it: advance
// or roll back. Ends when the rollout is promoted or rolled back, by the gate or by a hand on the CLI.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  readCanaryState,
  writeCanaryState,
  type CanaryState,
  type DecisionRecord,
} from '../../services/order-router/canary-state.ts';
import { decide, type ArmOutcomes, type Breach, type Decision, type GatePolicy } from './gate/decide.ts';
import { advance, note, rollback } from './lifecycle.ts';

export interface GateDeps {
  readonly stateFile: string;
  /** The gate's policy; the soak comes from the rollout's state (`start --soak`). */
  readonly policy: Omit<GatePolicy, 'soakMs'>;
  readonly outcomes: (
    since: number,
    now: number,
  ) => Promise<{ canary: ArmOutcomes; baseline: ArmOutcomes } | undefined>;
  readonly breaches: (since: number, now: number) => Promise<readonly Breach[] | undefined>;
  readonly notify: (canaryId: string, d: DecisionRecord) => Promise<void>;
  readonly log: (line: Record<string, unknown>) => void;
  readonly now: () => Date;
}

export const toRecord = (d: Decision, phase: number, at: Date): DecisionRecord => ({
  at: at.toISOString(),
  phase,
  verdict: d.verdict,
  reason: d.reason,
  summary: d.summary,
  by: 'gate',
  evidence: { ...d.evidence },
});

/** Recorded, and notified when it moves the rollout or when the gate starts holding (not every minute of it). */
function worthNotifying(d: DecisionRecord, previous: CanaryState): boolean {
  if (d.verdict === 'advance' || d.verdict === 'rollback') return true;
  if (d.verdict !== 'hold') return false;
  const last = previous.decisions.findLast((x) => x.by === 'gate');
  return last?.verdict !== 'hold' || last.reason !== d.reason;
}

/** One look: the decision taken, or undefined when the rollout is not running. */
export async function gateStep(
  deps: GateDeps,
): Promise<{ decision: DecisionRecord; state: CanaryState } | undefined> {
  const state = readCanaryState(deps.stateFile);
  if (state?.status !== 'running') return undefined;
  const now = deps.now();
  const phaseStart = Date.parse(state.phaseStartedAt);
  const [outcomes, breaches] = await Promise.all([
    deps.outcomes(phaseStart, now.getTime()),
    deps.breaches(Date.parse(state.startedAt), now.getTime()),
  ]);
  const decision = decide(
    {
      now: now.getTime(),
      phaseStartedAt: phaseStart,
      share: state.phase / 100,
      outcomes,
      breaches,
      carried: state.carried,
    },
    { ...deps.policy, soakMs: state.soakMs },
  );
  const record = toRecord(decision, state.phase, now);
  // A hand on the CLI may have moved the rollout while the gate was reading: that decision stands.
  const current = readCanaryState(deps.stateFile);
  if (current?.status !== 'running' || current.phaseStartedAt !== state.phaseStartedAt) return undefined;
  const next =
    record.verdict === 'rollback'
      ? rollback(current, record)
      : record.verdict === 'advance'
        ? advance(current, record, now, {
            failed: decision.evidence.failedEvidence ?? 1,
            slow: decision.evidence.slowEvidence ?? 1,
          })
        : note(current, record);
  writeCanaryState(deps.stateFile, next);
  deps.log({
    msg: 'canary decision',
    canary: state.id,
    phase: state.phase,
    verdict: record.verdict,
    reason: record.reason,
    summary: record.summary,
    evidence: record.evidence,
    now: { status: next.status, phase: next.phase },
  });
  if (worthNotifying(record, current))
    await deps
      .notify(state.id, record)
      .catch((err: unknown) =>
        deps.log({ msg: 'Alertmanager notification failed', error: (err as Error).message }),
      );
  return { decision: record, state: next };
}

/** Looks every `intervalMs` until the rollout is promoted or rolled back (or `signal` aborts). */
export async function runGate(
  deps: GateDeps,
  intervalMs: number,
  signal?: AbortSignal,
): Promise<CanaryState | undefined> {
  for (;;) {
    const step = await gateStep(deps);
    const state = step?.state ?? readCanaryState(deps.stateFile);
    if (state?.status !== 'running' || signal?.aborted) return state;
    await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
  }
}
