// The rollout's transitions, pure: start at 10%, advance 10 → 50 → 100 (100 is promoted), roll back to 0%,
// promote at once. Each records the decision that caused it; a transition that does not apply is an error
// with a stable code, never a silent no-op.
import { AppError } from '../../platform/errors.ts';
import {
  PHASES,
  type CanaryState,
  type DecisionRecord,
  type Phase,
} from '../../services/order-router/canary-state.ts';

export const CanaryErrors = {
  alreadyRunning: 'CANARY_ALREADY_RUNNING',
  notRunning: 'CANARY_NOT_RUNNING',
  noCanary: 'CANARY_NOT_STARTED',
} as const;

/** Decisions kept in the state file (the log keeps them all): the newest, so the file stays small. */
export const KEPT_DECISIONS = 500;

const withDecision = (state: CanaryState, d: DecisionRecord): CanaryState => ({
  ...state,
  decisions: [...state.decisions, d].slice(-KEPT_DECISIONS),
});

export function start(
  previous: CanaryState | undefined,
  now: Date,
  soakMs: number,
  id: string = `canary-${now.toISOString()}`,
): CanaryState {
  if (previous?.status === 'running')
    throw new AppError(CanaryErrors.alreadyRunning, 409, `${previous.id} is running at ${previous.phase}%`);
  const at = now.toISOString();
  return {
    version: 1,
    id,
    status: 'running',
    phase: PHASES[0],
    startedAt: at,
    phaseStartedAt: at,
    soakMs,
    carried: { failed: 1, slow: 1 },
    decisions: [
      {
        at,
        phase: PHASES[0],
        verdict: 'start',
        reason: 'STARTED',
        summary: `canary started at ${PHASES[0]}%, soak ${soakMs / 1000} s per phase`,
        by: 'manual',
      },
    ],
  };
}

function running(state: CanaryState | undefined): CanaryState {
  if (!state)
    throw new AppError(CanaryErrors.noCanary, 409, 'no canary was started (npm run canary -- start)');
  if (state.status !== 'running')
    throw new AppError(CanaryErrors.notRunning, 409, `${state.id} is ${state.status}, not running`);
  return state;
}

/** A gate's wait or hold: recorded, nothing moves. */
export const note = (state: CanaryState, d: DecisionRecord): CanaryState => withDecision(running(state), d);

/** To the next phase (its window and soak start now); from the last gated phase, to 100%: promoted. */
export function advance(
  state: CanaryState | undefined,
  d: DecisionRecord,
  now: Date,
  carried: CanaryState['carried'] = { failed: 1, slow: 1 },
): CanaryState {
  const s = running(state);
  const next = PHASES[PHASES.indexOf(s.phase) + 1] as Phase;
  return withDecision(
    {
      ...s,
      phase: next,
      status: next === 100 ? 'promoted' : 'running',
      phaseStartedAt: now.toISOString(),
      carried,
    },
    d,
  );
}

export function promote(state: CanaryState | undefined, d: DecisionRecord, now: Date): CanaryState {
  const s = running(state);
  return withDecision({ ...s, phase: 100, status: 'promoted', phaseStartedAt: now.toISOString() }, d);
}

/** Every new order to legacy. Allowed after a promotion too: the fallback stays until legacy is retired. */
export function rollback(state: CanaryState | undefined, d: DecisionRecord): CanaryState {
  if (!state) throw new AppError(CanaryErrors.noCanary, 409, 'no canary was started');
  if (state.status === 'rolled_back')
    throw new AppError(CanaryErrors.notRunning, 409, `${state.id} is already rolled back`);
  return withDecision({ ...state, status: 'rolled_back' }, d);
}
