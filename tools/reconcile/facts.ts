// Gathers what each system of record says about a set of orders, reading each service directly (its own
// port, never the Toxiproxy listener a chaos scenario may be poisoning) and in bounded parallel. The payment
// ledger is read once for the whole window (newest first, until older than the oldest order), not per order.
import pMap from 'p-map';
import Stripe from 'stripe';
import { downstream } from '../../platform/downstream.ts';
import { host } from '../../platform/ports.ts';
import { consumers } from '../../consumers/registry.ts';
import type { IntentFact, OrderFacts, StoredOrder } from './invariants.ts';

/** The consumers that keep a per-order record this tool can count, and the event types they apply. */
interface CountedConsumer {
  readonly port: number;
  readonly path: string;
  readonly list: string;
  /** The event type a row records. */
  readonly eventTypeOf: (row: Record<string, unknown>) => string | undefined;
}
const EMAIL_EVENT: Readonly<Record<string, string>> = {
  order_confirmation: 'OrderCompleted',
  order_failed: 'OrderFailed',
};
export const COUNTED_CONSUMERS = {
  'audit-log-consumer': {
    port: consumers.auditLog.port,
    path: 'audit',
    list: 'entries',
    eventTypeOf: (row) => row.eventType as string | undefined,
  },
  'email-consumer': {
    port: consumers.email.port,
    path: 'emails',
    list: 'emails',
    eventTypeOf: (row) => EMAIL_EVENT[row.template as string],
  },
} as const satisfies Record<string, CountedConsumer>;

export const CONSUMERS_OF: Readonly<Record<string, readonly string[]>> = {
  OrderCompleted: Object.keys(COUNTED_CONSUMERS),
  OrderFailed: Object.keys(COUNTED_CONSUMERS),
};

/** Seconds of clock slack between order-api's timestamp and the gateway's `created`. */
const CLOCK_SLACK_S = 60;

export interface FactSources {
  readonly stripe: Stripe;
  readonly inventoryUrl: string;
  readonly shippingUrl: string;
  readonly consumerUrl: (consumer: keyof typeof COUNTED_CONSUMERS) => string;
}

export const localSources = (): FactSources => ({
  // The key is the gateway's test mode; no real Stripe account is ever read by this tool locally.
  stripe: new Stripe(process.env.STRIPE_API_KEY ?? 'sk_test_orderflow_reconcile', {
    host,
    port: downstream.payment.port,
    protocol: 'http',
    maxNetworkRetries: 2,
  }),
  inventoryUrl: `http://${host}:${downstream.inventory.port}`,
  shippingUrl: `http://${host}:${downstream.shipping.port}`,
  consumerUrl: (c) => `http://${host}:${COUNTED_CONSUMERS[c].port}`,
});

/** Every intent of the window, by order id (metadata.order_id), with what was captured and refunded. */
export async function intentsByOrder(
  stripe: Stripe,
  oldestCreatedAt: number,
): Promise<Map<string, IntentFact[]>> {
  const byOrder = new Map<string, IntentFact[]>();
  const oldest = Math.floor(oldestCreatedAt / 1000) - CLOCK_SLACK_S;
  for await (const pi of stripe.paymentIntents.list({ limit: 100, expand: ['data.latest_charge'] })) {
    if (pi.created < oldest) break;
    const orderId = pi.metadata.order_id;
    if (!orderId) continue;
    const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
    const fact: IntentFact = {
      id: pi.id,
      status: pi.status,
      amountReceived: pi.amount_received,
      amountRefunded: charge?.amount_refunded ?? 0,
    };
    byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), fact]);
  }
  return byOrder;
}

/** A record's status, or undefined when the service has none (404). Any other answer is an error. */
async function statusOf(url: string): Promise<string | undefined> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return ((await res.json()) as { status: string }).status;
}

async function eventCounts(
  sources: FactSources,
  orderId: string,
): Promise<Record<string, Record<string, number>>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const [consumer, spec] of Object.entries(COUNTED_CONSUMERS) as [
    keyof typeof COUNTED_CONSUMERS,
    (typeof COUNTED_CONSUMERS)[keyof typeof COUNTED_CONSUMERS],
  ][]) {
    const url = `${sources.consumerUrl(consumer)}/${spec.path}?orderId=${encodeURIComponent(orderId)}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    const rows = ((await res.json()) as Record<string, Record<string, unknown>[]>)[spec.list] ?? [];
    const byType: Record<string, number> = {};
    for (const row of rows) {
      const type = spec.eventTypeOf(row);
      if (type) byType[type] = (byType[type] ?? 0) + 1;
    }
    counts[consumer] = byType;
  }
  return counts;
}

export async function gatherFacts(
  orders: readonly StoredOrder[],
  sources: FactSources = localSources(),
  parallel = 8,
): Promise<OrderFacts[]> {
  if (orders.length === 0) return [];
  const oldest = Math.min(...orders.map((o) => Date.parse(o.createdAt)));
  const intents = await intentsByOrder(sources.stripe, oldest);
  const enc = encodeURIComponent;
  return pMap(
    orders,
    async (order) => {
      const [reservation, shipment, events] = await Promise.all([
        statusOf(`${sources.inventoryUrl}/reservations/${enc(order.orderId)}`),
        statusOf(`${sources.shippingUrl}/shipments/${enc(order.orderId)}`),
        eventCounts(sources, order.orderId),
      ]);
      return {
        order,
        intents: intents.get(order.orderId) ?? [],
        ...(reservation === undefined ? {} : { reservation }),
        ...(shipment === undefined ? {} : { shipment }),
        events,
      };
    },
    { concurrency: parallel },
  );
}
