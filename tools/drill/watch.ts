// What a drill watches: the alert's rule in the real Prometheus (inactive, pending, firing) and the
// notifications the alert-receiver got.
import { instantQuery, type PromSample } from '../../platform/prometheus.ts';
import { setTimeout as delay } from 'node:timers/promises';
import { fetchReceived } from '../../alerts/receiver/client.ts';
import { type Channel } from '../../alerts/receiver/payloads.ts';
import { type ReceivedNotification } from '../../alerts/receiver/store.ts';
import { endpoints, getJson } from './endpoints.ts';

export type RuleState = 'inactive' | 'pending' | 'firing';

export interface AlertRuleStatus {
  readonly state: RuleState;
  /** When the rule was last evaluated (epoch ms). */
  readonly lastEvaluationMs: number;
  /** When its oldest active alert became pending (epoch ms). */
  readonly activeAtMs?: number;
  readonly values: readonly string[];
}

interface ApiRule {
  readonly name: string;
  readonly type: string;
  readonly state: RuleState;
  readonly lastEvaluation: string;
  readonly alerts: readonly { readonly activeAt: string; readonly value: string }[];
}

export async function alertRuleStatus(alert: string): Promise<AlertRuleStatus | undefined> {
  const { data } = await getJson<{ data: { groups: { rules: ApiRule[] }[] } }>(
    `${endpoints.prometheus}/api/v1/rules?type=alert`,
  );
  const rules = data.groups.flatMap((g) => g.rules).filter((r) => r.name === alert);
  if (rules.length === 0) return undefined;
  const order: readonly RuleState[] = ['inactive', 'pending', 'firing'];
  const state = rules.map((r) => r.state).reduce((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a));
  const activeAt = rules.flatMap((r) => r.alerts.map((a) => Date.parse(a.activeAt)));
  return {
    state,
    lastEvaluationMs: Math.min(...rules.map((r) => Date.parse(r.lastEvaluation))),
    ...(activeAt.length > 0 ? { activeAtMs: Math.min(...activeAt) } : {}),
    values: rules.flatMap((r) => r.alerts.map((a) => a.value)),
  };
}

interface RuleGroups {
  readonly data: {
    readonly groups: readonly { readonly lastEvaluation: string; readonly rules: ApiRule[] }[];
  };
}

/** The series a PromQL expression returns now (empty: the condition is false). */
export const queryNow = (expr: string): Promise<PromSample[]> =>
  instantQuery(endpoints.prometheus, expr, { timeoutMs: 10_000 });

/**
 * Waits until `condition` (the alert's condition in drill time, on raw metrics) is false: the stack's recent
 * traffic (a test run's declines, the previous drill) can keep a compressed window above the threshold for a
 * little while. Checked before the drill rules are loaded, so the drill's own alert never fires on that
 * traffic, and the time the drill measures is its fault's.
 */
export async function waitUntilFalse(
  condition: string,
  what: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const above = await queryNow(condition);
    if (above.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `${what} is still true (${above.map((r) => r.value[1]).join(', ')}) after ${timeoutMs / 1000} s; ` +
          "wait for the stack's own traffic to pass and retry",
      );
    await delay(500, undefined, { signal });
  }
}

/** Waits until every freshly loaded drill group has been evaluated and the alert is inactive. */
export async function waitUntilEvaluated(
  alert: string,
  loadedAtMs: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { data } = await getJson<RuleGroups>(`${endpoints.prometheus}/api/v1/rules`);
    const evaluated = data.groups.every((g) => Date.parse(g.lastEvaluation) > loadedAtMs);
    const status = await alertRuleStatus(alert);
    if (evaluated && status?.state === 'inactive') return;
    if (Date.now() > deadline)
      throw new Error(`${alert} is ${status?.state ?? 'not loaded'} in the drill rules before any fault`);
    await delay(500, undefined, { signal });
  }
}

export interface Delivery {
  readonly notification: ReceivedNotification;
  /** The expected receiver got it (otherwise: the channel it went to instead). */
  readonly rightChannel: boolean;
}

/** The first firing notification of `alert` received since `sinceMs`, preferring the expected channel. */
export async function findDelivery(
  alert: string,
  expected: Channel,
  sinceMs: number,
): Promise<Delivery | undefined> {
  const got = await fetchReceived({ sinceMs, alertname: alert, status: 'firing' });
  const right = got.find((n) => n.channel === expected);
  if (right) return { notification: right, rightChannel: true };
  const wrong = got[0];
  return wrong ? { notification: wrong, rightChannel: false } : undefined;
}

export interface Watched {
  /** When Prometheus made the alert pending (its activeAt), firing (observed), epoch ms. */
  readonly pendingAt?: number;
  readonly firingAt?: number;
  readonly delivery?: Delivery;
}

/**
 * Polls the alert's rule and the receiver every 0.5 s until the expected receiver has a firing notification
 * of the alert (or the deadline), noting when the rule went pending and firing.
 */
export async function watchAlert(
  target: { alert: string; expected: Channel; faultAt: number; deadline: number },
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<Watched> {
  const { alert, expected, faultAt, deadline } = target;
  const after = (at: number): string => `${((at - faultAt) / 1000).toFixed(1)} s`;
  let pendingAt: number | undefined;
  let firingAt: number | undefined;
  let delivery: Delivery | undefined;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    const status = await alertRuleStatus(alert);
    if (pendingAt === undefined && status && status.state !== 'inactive') {
      pendingAt = status.activeAtMs ?? Date.now();
      log(`[drill] pending after ${after(pendingAt)} (value ${status.values.join(', ')})`);
    }
    if (firingAt === undefined && status?.state === 'firing') {
      firingAt = Date.now();
      log(`[drill] firing in Prometheus after ${after(firingAt)}`);
    }
    delivery = await findDelivery(alert, expected, faultAt);
    if (delivery?.rightChannel) break;
    await delay(500, undefined, { signal });
  }
  return {
    ...(pendingAt !== undefined ? { pendingAt } : {}),
    ...(firingAt !== undefined ? { firingAt } : {}),
    ...(delivery ? { delivery } : {}),
  };
}
