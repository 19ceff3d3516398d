// order-api's scrape-time gauges of orders in flight (alerts OrderStuckInStatus, OrderReviewQueueStale):
//   orderflow_orders_in_status{status}, orderflow_order_oldest_in_status_seconds{status}  (non-terminal)
//   orderflow_review_queue_size, orderflow_review_queue_oldest_seconds
//
// Source: Temporal, not the order store. The store's `status` is written only at acceptance ('received')
// and at the end, so every running order (validating, awaiting review, paying, …) is 'received' there:
// gauges from it would put orders waiting hours for review into OrderStuckInStatus. Temporal knows the
// live status: the workflow upserts the search attributes OrderStatus and OrderStatusSince at each status
// change, so one visibility list of the running ProcessOrderWorkflow executions answers (no per-order
// query: those are workflow tasks on the order-worker, replayed when not cached, and at a backlog of
// hundreds they cost more than the orders themselves — issue 15). An execution without the attributes
// (started before the patch, or before its first workflow task) counts as 'received' since its start.
// Bounded: MAX_OPEN_ORDERS listed, cached for CACHE_MS. If Temporal does not answer, the per-status
// gauges are absent for that scrape (OrderflowMetricsAbsent fires after 10 minutes) and the two
// label-less review-queue gauges are NaN (prom-client always exports a label-less gauge): never a
// misleading 0, and no threshold comparison is true.
import { Gauge } from 'prom-client';
import type { Client } from '@temporalio/client';
import type { MetricsRegistry } from '../../observability/metrics/definitions.ts';
import {
  orderStatusAttribute,
  orderStatusSinceAttribute,
  WORKFLOW_TYPE,
} from '../../contracts/order/definitions.ts';
import { ORDER_STATUSES, type OrderStatus } from '../../contracts/order/types.ts';

export const TERMINAL_STATUSES: readonly OrderStatus[] = ['completed', 'failed', 'compensation_failed'];
export const OPEN_STATUSES = ORDER_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));
const MAX_OPEN_ORDERS = 10_000;
const CACHE_MS = 1000;

export interface OpenOrder {
  readonly orderId: string;
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

const isOrderStatus = (s: string | undefined): s is OrderStatus =>
  s !== undefined && (ORDER_STATUSES as readonly string[]).includes(s);

/** The running orders and their statuses, from one Temporal visibility list (search attributes). */
export function temporalOpenOrders(temporal: Client): () => Promise<OpenOrder[]> {
  return async () => {
    const orders: OpenOrder[] = [];
    for await (const wf of temporal.workflow.list({
      query: `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`,
    })) {
      const status = wf.typedSearchAttributes.get(orderStatusAttribute);
      const since = wf.typedSearchAttributes.get(orderStatusSinceAttribute);
      orders.push(
        isOrderStatus(status)
          ? { orderId: wf.workflowId, status, since: since ?? wf.startTime }
          : { orderId: wf.workflowId, status: 'received', since: wf.startTime },
      );
      if (orders.length >= MAX_OPEN_ORDERS) break;
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
