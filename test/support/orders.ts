// Helpers for tests that drive orders through order-api on the running stack and check the ledgers.
import Stripe from 'stripe';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { downstream } from '../../platform/downstream.ts';
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

/** Slack for the clocks of Temporal and the gateway (one machine) when comparing their times, seconds. */
const CLOCK_SLACK_S = 60;

/**
 * When the order's workflow started, in seconds since the epoch; undefined when Temporal does not know
 * the order (then nothing bounds where its intents can be).
 */
async function workflowStartedAt(orderId: string): Promise<number | undefined> {
  try {
    const { startTime } = await temporalClient().workflow.getHandle(orderId).describe();
    return Math.floor(startTime.getTime() / 1000);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/**
 * Every PaymentIntent the gateway holds for this order: the ledger. The gateway cannot filter by metadata
 * (no search API; list takes only limit and the cursors), so this pages through the list, newest first,
 * until it ends or reaches intents created before the order's workflow started: the payment activity
 * creates them, so none of the order's can be older (CLOCK_SLACK_S allows for the two clocks).
 */
export async function intentsFor(orderId: string): Promise<Stripe.PaymentIntent[]> {
  const startedAt = await workflowStartedAt(orderId);
  const oldest = startedAt === undefined ? -Infinity : startedAt - CLOCK_SLACK_S;
  const found: Stripe.PaymentIntent[] = [];
  // The SDK follows has_more with starting_after = the last id of each page.
  for await (const pi of stripe.paymentIntents.list({ limit: 100 })) {
    if (pi.created < oldest) break;
    if (pi.metadata.order_id === orderId) found.push(pi);
  }
  return found;
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
