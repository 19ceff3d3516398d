// One drill, start to end: the compressed rules and drill timings loaded, the alert quiet, the fault injected
// (t0) with its traffic, then watching Prometheus and the receiver until the notification arrives on the
// expected channel or the timeout passes; then, always, the cleanup, and bounded waits for the drill's
// orders to finish and a paused consumer to catch up, so the next drill (or test) starts from a quiet stack.
import { setTimeout as delay } from 'node:timers/promises';
import { consumers } from '../../consumers/registry.ts';
import { receiverUrl } from '../../alerts/receiver/client.ts';
import { type Channel } from '../../alerts/receiver/payloads.ts';
import { compressDuration, compressExpr } from '../../alerts/render-rules.ts';
import { loadDrillAlertmanagerConfig } from './alertmanager-swap.ts';
import { type CleanupReport, recoverLeftovers, undoJournal } from './cleanup.ts';
import { endpoints } from './endpoints.ts';
import { conflicts, describeInjection, inject } from './injections.ts';
import { type Journal, openJournal } from './journal.ts';
import { groupLag, prepareCopySource, publishCopies } from './lag-events.ts';
import { loadDrillRules } from './rules-swap.ts';
import { expectedChannel, scenarioFor, sourceRule, type DrillScenario } from './scenarios.ts';
import { type Burst, ensureDrillCustomer, type Outcomes, settleOrders, startBurst } from './traffic.ts';
import { restorationProblems } from './verify.ts';
import { type Delivery, waitUntilEvaluated, waitUntilFalse, watchAlert } from './watch.ts';

/**
 * The stack scrapes every 5 s and the shortest window of the rules is 5m: at 20 it is 15 s, three scrapes.
 * A larger factor would leave windows with one or two samples (render-rules.ts).
 */
export const MAX_FACTOR = 20;
const QUIET_TIMEOUT_MS = 90_000;
const SETTLE_TIMEOUT_MS = 90_000;
const LAG_DRAIN_TIMEOUT_MS = 180_000;

export interface DrillOptions {
  readonly factor?: number;
  /** Overrides the scenario's wait for the notification. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  readonly journal?: Journal;
}

export interface DrillResult {
  readonly alert: string;
  readonly runId: string;
  readonly factor: number;
  readonly severity: string;
  readonly expectedChannel: Channel;
  /** The rule's `for`, in the source and in the drill copy. */
  readonly forSource: string;
  readonly forDrill: string;
  readonly story: string;
  readonly injected: readonly string[];
  readonly timeoutMs: number;
  readonly faultAt?: string;
  /** From the fault to Prometheus' pending state (activeAt), to firing (observed every 0.5 s), to delivery. */
  readonly timeToPendingMs?: number;
  readonly timeToFireMs?: number;
  readonly timeToDeliverMs?: number;
  /** True when the expected receiver got the firing notification in time. */
  readonly delivered: boolean;
  readonly delivery?: { readonly channel: Channel; readonly seq: number; readonly summary: string };
  readonly traffic: {
    readonly orders: number;
    readonly rejected: number;
    readonly outcomes?: Outcomes;
    readonly eventCopies?: number;
    /** The paused group's lag back under 100 messages after it resumed, ms (undefined: not within the bound). */
    readonly lagDrainedMs?: number;
  };
  readonly cleanup: CleanupReport;
  /** What still differs from normal operation after the cleanup (empty: restored). */
  readonly leftovers: readonly string[];
  readonly error?: string;
}

async function requireStack(scenario: DrillScenario): Promise<void> {
  const probes: [string, string][] = [
    ['alert-receiver', `${receiverUrl}/healthz`],
    ['prometheus', `${endpoints.prometheus}/-/ready`],
    ['alertmanager', `${endpoints.alertmanager}/-/ready`],
    ['order-api', `${endpoints.orderApi}/readyz`],
    ['toxiproxy', `${endpoints.toxiproxy}/version`],
  ];
  if (scenario.eventCopies) probes.push(['kafka-lag-exporter', `${endpoints.lagExporter}/readyz`]);
  for (const [name, url] of probes) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (!ok) throw new Error(`${name} is not ready (${url}); start the stack with \`npm start\``);
  }
}

export async function runDrill(alert: string, options: DrillOptions = {}): Promise<DrillResult> {
  const scenario = scenarioFor(alert);
  if (!scenario) throw new Error(`no drill for ${alert}; \`npm run drill -- --list\` lists them`);
  const factor = options.factor ?? MAX_FACTOR;
  if (!Number.isInteger(factor) || factor < 1 || factor > MAX_FACTOR)
    throw new Error(`the time factor must be an integer from 1 to ${MAX_FACTOR}, not ${factor}`);
  const log = options.log ?? (() => {});
  const journal = options.journal ?? openJournal();
  const { signal } = options;
  const timeoutMs = options.timeoutMs ?? scenario.timeoutMs;
  const rule = sourceRule(scenario.alert);
  const expected = expectedChannel(scenario.alert);

  await recoverLeftovers(journal, log);
  await requireStack(scenario);
  const clash = await conflicts(scenario.injections);
  if (clash.length > 0) throw new Error(`the stack is not in its normal state: ${clash.join('; ')}`);

  const runId = `drill-${Date.now().toString(36)}`;
  journal.begin(runId, scenario.alert);
  log(`[drill] ${runId}: ${scenario.alert} (${rule.severity} → ${expected}), time factor ${factor}`);

  let burst: Burst | undefined;
  let faultAt: number | undefined;
  let pendingAt: number | undefined;
  let firingAt: number | undefined;
  let delivery: Delivery | undefined;
  let eventCopies: number | undefined;
  let error: string | undefined;
  let cleanup: CleanupReport = { undone: [], failed: [] };
  try {
    await ensureDrillCustomer();
    // The event to copy: a drill order's own OrderCompleted, placed before anything is injected.
    const copy = scenario.eventCopies ? await prepareCopySource(runId, log) : undefined;

    const quiet = compressExpr(rule.rawCondition, factor);
    log(
      `[drill] waiting for ${scenario.alert}'s condition to be false in drill time (recent traffic to pass)`,
    );
    await waitUntilFalse(quiet, `${scenario.alert}'s condition in drill time`, QUIET_TIMEOUT_MS, signal);

    journal.record({ kind: 'alertmanager-config' });
    await loadDrillAlertmanagerConfig(factor);
    journal.record({ kind: 'prometheus-rules' });
    const loadedAt = Date.now();
    await loadDrillRules(runId, factor);
    log(
      `[drill] Prometheus evaluates the drill rules (for: ${rule.for} → ${compressDuration(rule.for, factor)})`,
    );
    await waitUntilEvaluated(scenario.alert, loadedAt, 30_000, signal);

    faultAt = Date.now();
    for (const injection of scenario.injections) {
      await inject(injection, journal);
      log(`[drill] injected: ${describeInjection(injection)}`);
    }
    if (scenario.orders) {
      burst = startBurst(runId, scenario.orders, signal);
      log(`[drill] orders: ${scenario.orders.perSecond}/s, at most ${scenario.orders.max}`);
    }
    if (copy && scenario.eventCopies) {
      eventCopies = await publishCopies(copy.topic, copy.message, scenario.eventCopies, runId);
      log(`[drill] published ${eventCopies} copies to ${copy.topic} (header orderflow-drill: ${runId})`);
    }
    log(`[drill] waiting up to ${timeoutMs / 1000} s for ${scenario.alert} to reach ${expected}`);

    ({ pendingAt, firingAt, delivery } = await watchAlert(
      { alert: scenario.alert, expected, faultAt, deadline: faultAt + timeoutMs },
      log,
      signal,
    ));
    if (delivery?.rightChannel) {
      const d = delivery.notification;
      log(
        `[drill] delivered to ${d.channel} after ${((d.receivedAtMs - faultAt) / 1000).toFixed(1)} s: ${d.summary}`,
      );
    } else {
      error = delivery
        ? `${scenario.alert} reached ${delivery.notification.channel}, not ${expected}`
        : `${scenario.alert} did not reach ${expected} within ${timeoutMs / 1000} s`;
    }
  } catch (err) {
    error = signal?.aborted ? 'interrupted' : (err as Error).message;
  } finally {
    await burst?.stop();
    cleanup = await undoJournal(journal, log);
  }

  // Interrupted: the faults are gone and the orders finish on their own; do not make Ctrl-C wait for them.
  const traffic = signal?.aborted
    ? { orders: burst?.orderIds.length ?? 0, rejected: burst?.rejected ?? 0 }
    : await afterwards(scenario, burst, log);
  const leftovers = await restorationProblems(journal.path);
  const d = delivery?.notification;
  return {
    alert: scenario.alert,
    runId,
    factor,
    severity: rule.severity,
    expectedChannel: expected,
    forSource: rule.for,
    forDrill: compressDuration(rule.for, factor),
    story: scenario.story,
    injected: scenario.injections.map(describeInjection),
    timeoutMs,
    ...(faultAt !== undefined ? { faultAt: new Date(faultAt).toISOString() } : {}),
    ...(faultAt !== undefined && pendingAt !== undefined ? { timeToPendingMs: pendingAt - faultAt } : {}),
    ...(faultAt !== undefined && firingAt !== undefined ? { timeToFireMs: firingAt - faultAt } : {}),
    ...(faultAt !== undefined && d && delivery?.rightChannel
      ? { timeToDeliverMs: d.receivedAtMs - faultAt }
      : {}),
    delivered: delivery?.rightChannel === true,
    ...(d ? { delivery: { channel: d.channel, seq: d.seq, summary: d.summary } } : {}),
    traffic: { ...traffic, ...(eventCopies !== undefined ? { eventCopies } : {}) },
    cleanup,
    leftovers,
    ...(error !== undefined ? { error } : {}),
  };
}

/** Bounded waits after the cleanup: drill orders finished, a paused consumer caught up. */
async function afterwards(
  scenario: DrillScenario,
  burst: Burst | undefined,
  log: (line: string) => void,
): Promise<Pick<DrillResult['traffic'], 'orders' | 'rejected' | 'outcomes' | 'lagDrainedMs'>> {
  const orders = burst?.orderIds.length ?? 0;
  let outcomes: Outcomes | undefined;
  if (burst && orders > 0) {
    log(`[drill] waiting for the ${orders} drill orders to finish`);
    outcomes = await settleOrders(burst.orderIds, SETTLE_TIMEOUT_MS);
  }
  let lagDrainedMs: number | undefined;
  const paused = scenario.injections.find((i) => i.kind === 'consumer-paused');
  if (paused) {
    const { group } = consumers[paused.consumer];
    const started = Date.now();
    log(`[drill] waiting for ${group} to read the copies as duplicates`);
    while (Date.now() - started < LAG_DRAIN_TIMEOUT_MS) {
      if ((await groupLag(group).catch(() => Infinity)) < 100) {
        lagDrainedMs = Date.now() - started;
        break;
      }
      await delay(1000);
    }
  }
  return {
    orders,
    rejected: burst?.rejected ?? 0,
    ...(outcomes ? { outcomes } : {}),
    ...(lagDrainedMs !== undefined ? { lagDrainedMs } : {}),
  };
}
