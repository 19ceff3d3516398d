// `--since 15m`: the orders that ended badly in a window, grouped by the step they failed at and the
// cause, with the newest example of each group to diagnose next. Built from the same timelines as the
// single-order diagnosis, so both always agree.
import pMap from 'p-map';
import type { Client } from '@temporalio/client';
import type { Endpoints } from './endpoints.ts';
import { usageError } from './errors.ts';
import {
  endedBadlyQuery,
  fetchOrderHistory,
  orderCounts,
  ordersEndedBadlySince,
  ordersStalledSince,
  pendingSteps,
  type PendingStep,
} from './temporal.ts';
import { buildTimeline, type OrderOutcome, type OrderTimeline } from './timeline.ts';
import { isFaulty, readProxies, type ProxiesLookup, type ProxyState } from './toxiproxy.ts';
import type { FailureInfo } from './failure-info.ts';
import { failureCategory, type VerdictCategory } from './verdict.ts';
import { STEP_SERVICES } from './step-services.ts';
import { COMPENSATIONS } from '../../observability/metrics/definitions.ts';

const COMPENSATION_STEPS: ReadonlySet<string> = new Set(COMPENSATIONS);

export interface SummaryGroup {
  /** `running`: orders still retrying the step now (from their pending activities), not ended. */
  readonly outcome: OrderOutcome;
  readonly step: string;
  readonly cause: string;
  /** As the single-order verdict would classify it: `business-decline`, `network-fault`, `injected-fault`, … */
  readonly category: VerdictCategory;
  readonly service?: string;
  readonly status?: number;
  readonly injectedFault: boolean;
  readonly count: number;
  readonly latestOrderId: string;
  readonly latestAt: string;
  readonly sampleMessage: string;
  /** The service's proxy has toxics or is disabled right now. */
  readonly proxyFaultNow?: string;
  /** Running groups: the highest attempt among their orders. */
  readonly attempts?: number;
  /** Running groups whose orders retry a compensation: that compensation (`step` is what failed). */
  readonly retryingStep?: string;
}

/** A running order whose current step has failed at least once and is being retried. */
export interface RetryingOrder {
  readonly orderId: string;
  readonly pending: PendingStep;
  /**
   * When the step retried is a compensation: the ADR step that failed and its cause, from the history. The
   * order is grouped under those (what broke), with the compensation it is stuck on beside them.
   */
  readonly failed?: { readonly step: string; readonly cause?: FailureInfo };
}

export interface Summary {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly tookMs: number;
  readonly since: string;
  readonly window: string;
  /** Orders that ended badly in the window and were read. */
  readonly examined: number;
  /** Running orders retrying a failed step now (their groups have outcome `running`). */
  readonly retrying: number;
  readonly retryingError?: string;
  /** More orders matched than `limit`: the groups cover the newest ones. */
  readonly truncated: boolean;
  readonly unreadable: readonly { readonly orderId: string; readonly reason: string }[];
  readonly completed?: number;
  readonly running?: number;
  readonly groups: readonly SummaryGroup[];
  readonly network: {
    readonly status: 'ok' | 'unavailable';
    readonly reason?: string;
    readonly faulty: readonly ProxyState[];
  };
  readonly links: { readonly temporalUi: string };
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `15m`, `2h`, `90s`, `1d`, or an ISO timestamp. */
export function parseSince(text: string, now: Date): Date {
  const m = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (m) return new Date(now.getTime() - Number(m[1]) * UNITS[m[2]!]!);
  const at = Date.parse(text);
  if (!Number.isNaN(at) && /^\d{4}-\d\d-\d\d/.test(text)) return new Date(at);
  throw usageError(`--since takes a duration like 15m, 2h, 90s, 1d or an ISO time, not "${text}"`);
}

const HISTORY_CONCURRENCY = 16;
/** An order in the same status this long may be retrying; younger ones are only in their first attempt. */
export const STALLED_AFTER_MS = 5_000;
/** Running orders described at most per summary (one DescribeWorkflowExecution each: server-side only). */
const MAX_STALLED = 100;

export async function summarizeSince(
  client: Client,
  endpoints: Endpoints,
  since: Date,
  window: string,
  limit: number,
): Promise<Summary> {
  const started = Date.now();
  const proxies = readProxies(endpoints);
  const counts = orderCounts(client, since).catch(() => undefined); // a nicety: never fail the summary for it
  // While a fault lasts, orders retry before any ends badly: those are the first evidence of it.
  let retryingError: string | undefined;
  const retrying = retryingOrders(client, endpoints, new Date(Date.now() - STALLED_AFTER_MS)).catch(
    (err: unknown) => {
      retryingError = err instanceof Error ? err.message : String(err); // said in the summary, never fatal
      return [] as RetryingOrder[];
    },
  );
  const { orders, truncated } = await ordersEndedBadlySince(client, since, limit);
  const timelines: OrderTimeline[] = [];
  const unreadable: { orderId: string; reason: string }[] = [];
  await pMap(
    orders,
    async (wf) => {
      try {
        const timeline = buildTimeline(
          wf.workflowId,
          await fetchOrderHistory(client, endpoints, wf.workflowId),
        );
        if (timeline.workflowStatus !== 'running') timelines.push(timeline);
      } catch (err) {
        unreadable.push({ orderId: wf.workflowId, reason: err instanceof Error ? err.message : String(err) });
      }
    },
    { concurrency: HISTORY_CONCURRENCY },
  );
  return assembleSummary({
    timelines,
    retrying: await retrying,
    ...(retryingError ? { retryingError } : {}),
    unreadable,
    truncated,
    counts: await counts,
    proxies: await proxies,
    endpoints,
    since,
    window,
    now: new Date(),
    tookMs: Date.now() - started,
  });
}

async function retryingOrders(
  client: Client,
  endpoints: Endpoints,
  stalledBefore: Date,
): Promise<RetryingOrder[]> {
  const ids = await ordersStalledSince(client, stalledBefore, MAX_STALLED);
  const found: RetryingOrder[] = [];
  await pMap(
    ids,
    async (orderId) => {
      const steps = await pendingSteps(client, orderId).catch(() => [] as PendingStep[]);
      for (const pending of steps) {
        if (pending.attempt <= 1 || !pending.lastFailure) continue;
        if (!COMPENSATION_STEPS.has(pending.step)) {
          found.push({ orderId, pending });
          continue;
        }
        // A compensation retrying (e.g. CancelShipment while shipping is down): name the step that failed.
        const timeline = await fetchOrderHistory(client, endpoints, orderId)
          .then((history) => buildTimeline(orderId, history))
          .catch(() => undefined);
        found.push({
          orderId,
          pending,
          ...(timeline?.failedStep
            ? { failed: { step: timeline.failedStep, ...(timeline.cause ? { cause: timeline.cause } : {}) } }
            : {}),
        });
      }
    },
    { concurrency: HISTORY_CONCURRENCY },
  );
  return found;
}

export interface SummaryInput {
  readonly timelines: readonly OrderTimeline[];
  readonly retrying?: readonly RetryingOrder[];
  /** Why the retrying orders could not be listed, if they could not. */
  readonly retryingError?: string;
  readonly unreadable: readonly { orderId: string; reason: string }[];
  readonly truncated: boolean;
  readonly counts?: { readonly completed: number; readonly running: number };
  readonly proxies: ProxiesLookup;
  readonly endpoints: Endpoints;
  readonly since: Date;
  readonly window: string;
  readonly now: Date;
  readonly tookMs: number;
}

/** One order's place in the summary: what it failed at and why, and how it ranks within its group. */
interface GroupEntry {
  readonly outcome: OrderOutcome;
  readonly step: string;
  readonly retryingStep?: string;
  readonly cause: FailureInfo | undefined;
  readonly orderId: string;
  readonly at: string;
  /** Ranks orders within a group: the highest is the group's example. */
  readonly rank: string | number;
  readonly attempt?: number;
}

function addToGroup(groups: Map<string, SummaryGroup>, proxies: ProxiesLookup, e: GroupEntry): void {
  const { cause } = e;
  const proxy = faultyProxyOnPath(proxies, e.step, cause?.service);
  const group = {
    outcome: e.outcome,
    step: e.step,
    ...(e.retryingStep ? { retryingStep: e.retryingStep } : {}),
    cause: cause?.type ?? 'unknown',
    category: failureCategory({ cause, faultyProxies: proxy ? [proxy] : [] }),
    ...(cause?.service ? { service: cause.service } : {}),
    ...(cause?.status !== undefined ? { status: cause.status } : {}),
    injectedFault: cause?.injectedFault === true,
  };
  const key = JSON.stringify(group);
  const seen = groups.get(key);
  const seenRank = seen ? (e.attempt !== undefined ? (seen.attempts ?? 0) : seen.latestAt) : undefined;
  const newest = seenRank === undefined || e.rank >= seenRank;
  groups.set(key, {
    ...group,
    count: (seen?.count ?? 0) + 1,
    latestOrderId: newest ? e.orderId : seen!.latestOrderId,
    latestAt: newest ? e.at : seen!.latestAt,
    sampleMessage: newest ? (cause?.message ?? '') : seen!.sampleMessage,
    // Only where it could be the cause: a toxic does not explain a decline.
    ...(proxy && group.category === 'network-fault'
      ? { proxyFaultNow: proxy.enabled ? `toxics on proxy ${proxy.name}` : `proxy ${proxy.name} disabled` }
      : {}),
    ...(e.attempt !== undefined ? { attempts: Math.max(seen?.attempts ?? 0, e.attempt) } : {}),
  });
}

export function assembleSummary(input: SummaryInput): Summary {
  const faulty = input.proxies.status === 'ok' ? input.proxies.proxies.filter(isFaulty) : [];
  const groups = new Map<string, SummaryGroup>();
  for (const t of input.timelines) {
    const at = t.closedAt ?? t.startedAt;
    addToGroup(groups, input.proxies, {
      outcome: t.outcome,
      step: t.failedStep ?? '?',
      cause: t.cause,
      orderId: t.orderId,
      at,
      rank: at,
    });
  }
  for (const r of input.retrying ?? []) {
    addToGroup(groups, input.proxies, {
      outcome: 'running',
      step: r.failed?.step ?? r.pending.step,
      ...(r.failed ? { retryingStep: r.pending.step } : {}),
      cause: r.failed ? (r.failed.cause ?? r.pending.lastFailure) : r.pending.lastFailure,
      orderId: r.orderId,
      at: input.now.toISOString(),
      rank: r.pending.attempt,
      attempt: r.pending.attempt,
    });
  }
  const query = endedBadlyQuery(input.since);
  return {
    schemaVersion: 1,
    generatedAt: input.now.toISOString(),
    tookMs: input.tookMs,
    since: input.since.toISOString(),
    window: input.window,
    examined: input.timelines.length,
    retrying: input.retrying?.length ?? 0,
    ...(input.retryingError ? { retryingError: input.retryingError } : {}),
    truncated: input.truncated,
    unreadable: input.unreadable,
    ...(input.counts ?? {}),
    groups: [...groups.values()].sort((a, b) => b.count - a.count || b.latestAt.localeCompare(a.latestAt)),
    network:
      input.proxies.status === 'ok'
        ? { status: 'ok', faulty }
        : { status: 'unavailable', reason: input.proxies.reason, faulty: [] },
    links: {
      temporalUi: `${input.endpoints.temporalUi}/namespaces/${encodeURIComponent(input.endpoints.namespace)}/workflows?${new URLSearchParams({ query }).toString()}`,
    },
  };
}

/** Like the single-order diagnosis: the proxy the failure names, else those the step calls. */
function faultyProxyOnPath(
  lookup: ProxiesLookup,
  step: string | undefined,
  service: string | undefined,
): ProxyState | undefined {
  if (lookup.status !== 'ok') return undefined;
  const named = lookup.proxies.find((p) => p.name === service);
  const onPath = named
    ? [named]
    : lookup.proxies.filter((p) => step && STEP_SERVICES[step]?.includes(p.name));
  return onPath.find(isFaulty);
}
