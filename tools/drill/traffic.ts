// Drill traffic: a bounded, paced burst of ordinary orders through order-api (127.0.0.1 only), placed by a
// customer of their own, `cust-alert-drill` (created in customer-service on first use), with idempotency keys
// `drill-<run id>-<n>`: drill orders are told apart in every ledger, the loyalty points and the audit log.
import { setTimeout as delay } from 'node:timers/promises';
import { downstream } from '../../platform/downstream.ts';
import { call, endpoints, serviceUrl } from './endpoints.ts';

export const DRILL_CUSTOMER = 'cust-alert-drill';
const TERMINAL = new Set(['completed', 'failed', 'compensation_failed']);

export async function ensureDrillCustomer(): Promise<void> {
  const url = `${serviceUrl('customer')}/customers`;
  const res = await fetch(`${url}/${DRILL_CUSTOMER}`, { signal: AbortSignal.timeout(5000) });
  if (res.ok) return;
  if (res.status !== 404)
    throw new Error(`${downstream.customer.name} answered ${res.status} for the drill customer`);
  await call(url, {
    method: 'POST',
    body: JSON.stringify({ id: DRILL_CUSTOMER, name: 'Alert Drill', email: 'alert-drill@orderflow.example' }),
  });
}

export const drillOrderRequest = () => ({
  customerId: DRILL_CUSTOMER,
  items: [{ sku: 'sku-widget', quantity: 1 }],
  shippingAddress: { line1: '1 Drill Way', city: 'San Francisco', postalCode: '94105', country: 'US' },
  paymentMethod: 'pm_card_visa',
});

export async function submitDrillOrder(idempotencyKey: string): Promise<string> {
  const res = await call(`${endpoints.orderApi}/orders`, {
    method: 'POST',
    headers: { 'idempotency-key': idempotencyKey },
    body: JSON.stringify(drillOrderRequest()),
  });
  return ((await res.json()) as { orderId: string }).orderId;
}

export interface OrderView {
  readonly orderId: string;
  readonly status: string;
  readonly compensations: readonly unknown[];
}

export const getOrder = async (orderId: string): Promise<OrderView> =>
  (await (await call(`${endpoints.orderApi}/orders/${orderId}`)).json()) as OrderView;

export interface Burst {
  /** Order ids accepted so far. */
  readonly orderIds: readonly string[];
  readonly rejected: number;
  /** Stops sending; resolves when the last request in flight has returned. */
  stop(): Promise<void>;
}

/** Sends up to `max` orders at `perSecond` until stopped (or `signal` aborts). */
export function startBurst(
  runId: string,
  { perSecond, max }: { perSecond: number; max: number },
  signal?: AbortSignal,
): Burst {
  const orderIds: string[] = [];
  let rejected = 0;
  const stopping = new AbortController();
  const stopSignal = signal ? AbortSignal.any([signal, stopping.signal]) : stopping.signal;
  const started = performance.now();
  const loop = (async () => {
    for (let n = 0; n < max && !stopSignal.aborted; n++) {
      try {
        orderIds.push(await submitDrillOrder(`drill-${runId}-${n}`));
      } catch {
        rejected++;
      }
      const next = started + ((n + 1) * 1000) / perSecond;
      await delay(Math.max(0, next - performance.now()), undefined, { signal: stopSignal }).catch(
        () => undefined,
      );
    }
  })();
  return {
    orderIds,
    get rejected() {
      return rejected;
    },
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}

export interface Outcomes {
  readonly completed: number;
  readonly failed: number;
  readonly compensated: number;
  readonly compensationFailed: number;
  /** Still running when the wait ended. */
  readonly unfinished: number;
}

/** Waits (bounded) for the drill's orders to finish, so none runs on into the next drill; counts outcomes. */
export async function settleOrders(orderIds: readonly string[], timeoutMs: number): Promise<Outcomes> {
  const final = new Map<string, OrderView>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = orderIds.filter((id) => !final.has(id));
    for (const id of open) {
      const o = await getOrder(id).catch(() => undefined);
      if (o && TERMINAL.has(o.status)) final.set(id, o);
    }
    if (final.size === orderIds.length || Date.now() > deadline) break;
    await delay(1000);
  }
  const views = [...final.values()];
  const count = (p: (o: OrderView) => boolean): number => views.filter(p).length;
  return {
    completed: count((o) => o.status === 'completed'),
    failed: count((o) => o.status === 'failed' && o.compensations.length === 0),
    compensated: count((o) => o.status === 'failed' && o.compensations.length > 0),
    compensationFailed: count((o) => o.status === 'compensation_failed'),
    unfinished: orderIds.length - final.size,
  };
}
