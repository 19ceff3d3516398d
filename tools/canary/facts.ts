// The facts the gate's invariants need about the canary's orders: the payment ledger, the reservation and the
// shipment (tools/reconcile's sources). Not the Kafka consumers' event counts: the fan-out is non-critical in
// the ADR, and a consumer that is down must not stop the gate judging money and orders (it would hold).
import pMap from 'p-map';
import { intentsByOrder, localSources, type FactSources } from '../reconcile/facts.ts';
import type { OrderFacts, StoredOrder } from '../reconcile/invariants.ts';

/** A record's status, or undefined when the service has none (404); any other answer is an error. */
async function statusOf(url: string): Promise<string | undefined> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return ((await res.json()) as { status: string }).status;
}

export async function gatherMoneyFacts(
  orders: readonly StoredOrder[],
  sources: FactSources = localSources(),
  parallel = 8,
): Promise<OrderFacts[]> {
  if (orders.length === 0) return [];
  const intents = await intentsByOrder(
    sources.stripe,
    Math.min(...orders.map((o) => Date.parse(o.createdAt))),
  );
  const enc = encodeURIComponent;
  return pMap(
    orders,
    async (order) => {
      const [reservation, shipment] = await Promise.all([
        statusOf(`${sources.inventoryUrl}/reservations/${enc(order.orderId)}`),
        statusOf(`${sources.shippingUrl}/shipments/${enc(order.orderId)}`),
      ]);
      return {
        order,
        intents: intents.get(order.orderId) ?? [],
        ...(reservation === undefined ? {} : { reservation }),
        ...(shipment === undefined ? {} : { shipment }),
        events: {},
      };
    },
    { concurrency: parallel },
  );
}
