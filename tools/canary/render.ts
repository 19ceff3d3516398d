// `canary status`: where the rollout is and the decisions behind it, newest last, each with its evidence.
import {
  canaryPercent,
  type CanaryState,
  type DecisionRecord,
} from '../../services/order-router/canary-state.ts';

const arm = (a: unknown): string => {
  const o = a as { orders?: number; failed?: number; slow?: number } | null | undefined;
  return o ? `${o.orders} orders, ${o.failed} failed, ${o.slow} slow` : 'unread';
};
const e = (x: unknown): string =>
  typeof x === 'number' ? (x >= 1000 ? x.toExponential(1) : x.toFixed(2)) : '-';

export function renderDecision(d: DecisionRecord): string {
  const head = `${d.at}  ${String(d.phase).padStart(3)}%  ${d.verdict.padEnd(8)} ${d.reason.padEnd(22)} ${d.by.padEnd(6)} ${d.summary}`;
  const ev = d.evidence;
  if (!ev) return head;
  return `${head}\n${' '.repeat(32)}canary: ${arm(ev.canary)}; baseline: ${arm(ev.baseline)}; e(failed)=${e(ev.failedEvidence)} e(slow)=${e(ev.slowEvidence)} bar=${e(ev.threshold)}`;
}

export function renderStatus(state: CanaryState | undefined, now: Date, last = 15): string {
  if (!state) return 'no canary: every order goes to the legacy pipeline (npm run canary -- start)';
  const inPhase = Math.round((now.getTime() - Date.parse(state.phaseStartedAt)) / 1000);
  const lines = [
    `canary ${state.id}: ${state.status}, phase ${state.phase}%, Temporal pipeline takes ${canaryPercent(state)}% of new orders`,
    `started ${state.startedAt}; this phase since ${state.phaseStartedAt} (${inPhase} s, soak ${state.soakMs / 1000} s)`,
    `carried evidence from earlier phases: e(failed)=${e(state.carried.failed)} e(slow)=${e(state.carried.slow)}`,
    `decisions (last ${Math.min(last, state.decisions.length)} of ${state.decisions.length}):`,
    ...state.decisions.slice(-last).map(renderDecision),
  ];
  return lines.join('\n');
}
