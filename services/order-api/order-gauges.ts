// order-api's scrape-time gauges of orders in flight (alerts OrderStuckInStatus, OrderReviewQueueStale):
//   orderflow_orders_in_status{status}, orderflow_order_oldest_in_status_seconds{status}  (non-terminal)
//   orderflow_review_queue_size, orderflow_review_queue_oldest_seconds
//
// Source: Temporal, not the order store. The store's `status` is written only at acceptance ('received')
// and at the end, so every running order (validating, awaiting review, paying, …) is 'received' there:
// gauges from it would put orders waiting hours for review into OrderStuckInStatus. Temporal knows the
// live status: the running ProcessOrderWorkflow executions (standard visibility: WorkflowType and
// ExecutionStatus, no custom search attribute) and each one's orderState query, whose last timeline
// entry is when it entered its status.
// Cost: one query per running order per scrape (bounded: MAX_OPEN_ORDERS, 8 at a time, cached for
// CACHE_MS). Fine for the ADR's volume (tens of orders in flight) but not for a review queue of
// thousands: then the workflow should upsert a search attribute with its status (a patched workflow
// version) and this becomes one count query per status. If Temporal does not answer, the per-status
// gauges are absent for that scrape (OrderflowMetricsAbsent fires after 10 minutes) and the two
// label-less review-queue gauges are NaN (prom-client always exports a label-less gauge): never a
// misleading 0, and no threshold comparison is true.
import { Gauge } from 'prom-client';
import type { Client } from '@temporalio/client';
import type { MetricsRegistry } from '../../observability/metrics/definitions.ts';
import { orderStateQuery, WORKFLOW_TYPE } from '../../contracts/order/definitions.ts';
import { ORDER_STATUSES, type OrderStatus } from '../../contracts/order/types.ts';

export const TERMINAL_STATUSES: readonly OrderStatus[] = ['completed', 'failed', 'compensation_failed'];
export const OPEN_STATUSES = ORDER_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));
const MAX_OPEN_ORDERS = 1000;
const CACHE_MS = 1000;

export interface OpenOrder {
  readonly status: OrderStatus;
  /** When it entered its current status. */
  readonly since: Date;
}

export interface OrderSnapshot {
  readonly inStatus: ReadonlyMap<OrderStatus, { count: number; oldestSeconds: number }>;
}

/** Counts and ages per non-terminal status (all present, 0 when empty). Exported for tests. */
export function summarize(orders: readonly OpenOrder[], now: Date): OrderSnapshot {
  const inStatus = new Map(OPEN_STATUSES.map((s) => [s, { count: 0, oldestSeconds: 0 }]));
  for (const order of orders) {
    const entry = inStatus.get(order.status);
    if (!entry) continue; // finished between listing and query
    entry.count++;
    entry.oldestSeconds = Math.max(entry.oldestSeconds, (now.getTime() - order.since.getTime()) / 1000);
  }
  return { inStatus };
}

/** The running orders, from Temporal visibility and each workflow's state query. */
export function temporalOpenOrders(temporal: Client): () => Promise<OpenOrder[]> {
  return async () => {
    const running: { workflowId: string; runId: string; startTime: Date }[] = [];
    for await (const wf of temporal.workflow.list({
      query: `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`,
    })) {
      running.push({ workflowId: wf.workflowId, runId: wf.runId, startTime: wf.startTime });
      if (running.length >= MAX_OPEN_ORDERS) break;
    }
    const orders: OpenOrder[] = [];
    for (let i = 0; i < running.length; i += 8) {
      const batch = await Promise.all(
        running.slice(i, i + 8).map(async (wf) => {
          try {
            const state = await temporal.workflow.getHandle(wf.workflowId, wf.runId).query(orderStateQuery);
            const at = state.timeline.at(-1)?.at;
            return { status: state.status, since: at ? new Date(at) : wf.startTime };
          } catch {
            return undefined; // finished or not yet picked up by a worker
          }
        }),
      );
      for (const o of batch) if (o) orders.push(o);
    }
    return orders;
  };
}

export function registerOrderGauges(
  registry: MetricsRegistry,
  source: () => Promise<OpenOrder[]>,
  options: {
    /** The clock, ms since the epoch (Date.now by default): the snapshot cache's and the ages'. */
    now?: () => number;
    onError?: (err: unknown) => void;
  } = {},
): void {
  const now = options.now ?? Date.now;
  let cached: { at: number; snapshot: Promise<OrderSnapshot | undefined> } | undefined;
  const snapshot = (): Promise<OrderSnapshot | undefined> => {
    const t = now();
    if (!cached || t - cached.at > CACHE_MS) {
      cached = {
        at: t,
        snapshot: source().then(
          (orders) => summarize(orders, new Date(now())),
          (err: unknown) => {
            options.onError?.(err);
            return undefined;
          },
        ),
      };
    }
    return cached.snapshot;
  };

  new Gauge({
    name: 'orderflow_orders_in_status',
    help: 'Running orders per non-terminal status (from Temporal, at scrape time).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const s = await snapshot();
      if (s) for (const [status, v] of s.inStatus) this.labels(status).set(v.count);
    },
  });
  new Gauge({
    name: 'orderflow_order_oldest_in_status_seconds',
    help: 'How long the oldest running order has been in its non-terminal status (0 when none).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const s = await snapshot();
      if (s) for (const [status, v] of s.inStatus) this.labels(status).set(v.oldestSeconds);
    },
  });
  new Gauge({
    name: 'orderflow_review_queue_size',
    help: 'Orders awaiting fraud review.',
    registers: [registry],
    async collect() {
      this.reset();
      const v = (await snapshot())?.inStatus.get('awaiting_review');
      this.set(v ? v.count : NaN);
    },
  });
  new Gauge({
    name: 'orderflow_review_queue_oldest_seconds',
    help: 'How long the oldest order awaiting fraud review has waited (0 when none).',
    registers: [registry],
    async collect() {
      this.reset();
      const v = (await snapshot())?.inStatus.get('awaiting_review');
      this.set(v ? v.oldestSeconds : NaN);
    },
  });
}
