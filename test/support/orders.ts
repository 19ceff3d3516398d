// Helpers for tests that drive orders through order-api on the running stack and check the ledgers.
import Stripe from 'stripe';
import { Client, Connection } from '@temporalio/client';
import { downstream } from '../../services/registry.ts';
import { consumers } from '../../consumers/registry.ts';
import { eventually, host, uniqueId, urls } from './stack.ts';

export const api = `http://${host}:${process.env.ORDER_API_PORT ?? 8080}`;
const inventory = `http://${host}:${downstream.inventory.port}`;
// Ledger checks go straight to the gateway, not through the proxy the test may be poisoning.
export const stripe = new Stripe('sk_test_orderflow_e2e', {
  host,
  port: downstream.payment.port,
  protocol: 'http',
  maxNetworkRetries: 0,
});

let client: Client | undefined;
export const temporalClient = (): Client =>
  (client ??= new Client({ connection: Connection.lazy({ address: urls.temporal }) }));

export const address = { line1: '1 Main St', city: 'San Francisco', postalCode: '94105', country: 'US' };
export const order = (over: Record<string, unknown> = {}) => ({
  customerId: 'cust-alice',
  items: [{ sku: 'sku-widget', quantity: 2 }],
  shippingAddress: address,
  paymentMethod: 'pm_card_visa',
  ...over,
});

export interface OrderView {
  orderId: string;
  status: string;
  totals: { totalCents: number } | null;
  trackingNumber: string | null;
  paymentIntentId: string | null;
  failure: { step: string; type: string; message: string } | null;
  compensations: { step: string; outcome: string; detail?: string }[];
  timeline: { step: string; status: string }[];
}

/** POST /orders's answer: the trace id is null only when the process runs without the tracing bootstrap. */
export interface Accepted {
  readonly orderId: string;
  readonly workflowId: string;
  readonly traceId: string | null;
  readonly duplicate: boolean;
}

export async function submit(
  body: unknown,
  key = uniqueId('idem'),
): Promise<{ status: number; body: Accepted }> {
  const res = await fetch(`${api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Accepted,
  };
}

/** POST /orders/:id/review; a string body goes as it is (to send what a schema must refuse). */
export const postReview = (orderId: string, decision: unknown): Promise<Response> =>
  fetch(`${api}/orders/${orderId}/review`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof decision === 'string' ? decision : JSON.stringify(decision),
  });

export const getOrder = async (id: string): Promise<OrderView> =>
  (await (await fetch(`${api}/orders/${id}`)).json()) as OrderView;

export const settle = (id: string, timeoutMs = 45_000): Promise<OrderView> =>
  eventually(
    async () => {
      const o = await getOrder(id);
      return ['completed', 'failed', 'compensation_failed'].includes(o.status) ? o : undefined;
    },
    timeoutMs,
    `order ${id} to finish`,
  );

export const waitForStatus = (id: string, status: string): Promise<OrderView> =>
  eventually(
    async () => ((await getOrder(id)).status === status ? getOrder(id) : undefined),
    30_000,
    `order ${id} to be ${status}`,
  );

/** Every PaymentIntent the gateway holds for this order: the ledger. */
export async function intentsFor(orderId: string): Promise<Stripe.PaymentIntent[]> {
  const list = await stripe.paymentIntents.list({ limit: 100 });
  return list.data.filter((pi) => pi.metadata.order_id === orderId);
}

export const reservation = async (id: string): Promise<{ status: string }> =>
  (await (await fetch(`${inventory}/reservations/${id}`)).json()) as { status: string };

export const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

export interface AuditEntry {
  eventId: string;
  eventType: string;
}

/** The audit-log consumer's entries for an order, once it has recorded at least one. */
export const auditEntriesFor = (orderId: string, what: string, timeoutMs = 45_000): Promise<AuditEntry[]> =>
  eventually(
    async () => {
      const { entries } = await getJson<{ entries: AuditEntry[] }>(
        `http://${host}:${consumers.auditLog.port}/audit?orderId=${orderId}`,
      );
      return entries.length > 0 ? entries : undefined;
    },
    timeoutMs,
    what,
  );
