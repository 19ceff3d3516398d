// End to end through order-api on the running stack (`npm start`): real Temporal, real workers, the
// downstream services behind Toxiproxy, the Stripe SDK against the payment-gateway.
import { afterEach, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { Toxiproxy } from 'toxiproxy-node-client';
import { Client, Connection } from '@temporalio/client';
import { downstream } from '../../services/registry.ts';
import { eventually, host, requireComponent, uniqueId, urls } from '../support/stack.ts';

const api = `http://${host}:${process.env.ORDER_API_PORT ?? 8080}`;
const inventory = `http://${host}:${downstream.inventory.port}`;
// Ledger checks go straight to the gateway, not through the proxy the test may be poisoning.
const stripe = new Stripe('sk_test_orderflow_e2e', {
  host,
  port: downstream.payment.port,
  protocol: 'http',
  maxNetworkRetries: 0,
});

let client: Client | undefined;
const temporalClient = (): Client =>
  (client ??= new Client({ connection: Connection.lazy({ address: urls.temporal }) }));

const address = { line1: '1 Main St', city: 'San Francisco', postalCode: '94105', country: 'US' };
const order = (over: Record<string, unknown> = {}) => ({
  customerId: 'cust-alice',
  items: [{ sku: 'sku-widget', quantity: 2 }],
  shippingAddress: address,
  paymentMethod: 'pm_card_visa',
  ...over,
});

interface OrderView {
  orderId: string;
  status: string;
  totals: { totalCents: number } | null;
  trackingNumber: string | null;
  paymentIntentId: string | null;
  failure: { step: string; type: string; message: string } | null;
  compensations: { step: string; outcome: string; detail?: string }[];
  timeline: { step: string; status: string }[];
}

async function submit(
  body: unknown,
  key = uniqueId('idem'),
): Promise<{ status: number; body: { orderId: string; workflowId: string; duplicate: boolean } }> {
  const res = await fetch(`${api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { orderId: string; workflowId: string; duplicate: boolean },
  };
}

const getOrder = async (id: string): Promise<OrderView> =>
  (await (await fetch(`${api}/orders/${id}`)).json()) as OrderView;

const settle = (id: string, timeoutMs = 45_000): Promise<OrderView> =>
  eventually(
    async () => {
      const o = await getOrder(id);
      return ['completed', 'failed', 'compensation_failed'].includes(o.status) ? o : undefined;
    },
    timeoutMs,
    `order ${id} to finish`,
  );

const waitForStatus = (id: string, status: string): Promise<OrderView> =>
  eventually(
    async () => ((await getOrder(id)).status === status ? getOrder(id) : undefined),
    30_000,
    `order ${id} to be ${status}`,
  );

/** Every PaymentIntent the gateway holds for this order: the ledger. */
async function intentsFor(orderId: string): Promise<Stripe.PaymentIntent[]> {
  const list = await stripe.paymentIntents.list({ limit: 100 });
  return list.data.filter((pi) => pi.metadata.order_id === orderId);
}

const reservation = async (id: string): Promise<{ status: string }> =>
  (await (await fetch(`${inventory}/reservations/${id}`)).json()) as { status: string };

describe('orders end to end', () => {
  const toxiproxy = new Toxiproxy(urls.toxiproxy);
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
  });

  it('when a valid order is submitted, then it completes with one captured payment, a tracking number and committed stock', async () => {
    await requireComponent('order-api', { kind: 'http', url: `${api}/readyz` });
    const { status, body } = await submit(order({ couponCode: 'SAVE10' }));
    expect(status).toBe(202);
    expect(body.workflowId).toBe(body.orderId);

    const done = await settle(body.orderId);
    expect(done.status).toBe('completed');
    expect(done.trackingNumber).toMatch(/^OFX\d{12}$/);
    expect(done.timeline.filter((t) => t.status === 'completed').map((t) => t.step)).toEqual([
      'ValidateOrder',
      'CalculatePricing',
      'RunFraudCheck',
      'ReserveInventory',
      'ProcessPayment',
      'CreateShipment',
      'FinalizeOrder',
    ]);
    const intents = await intentsFor(body.orderId);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ status: 'succeeded', amount_received: done.totals!.totalCents });
    expect((await stripe.refunds.list({ payment_intent: intents[0]!.id })).data).toHaveLength(0);
    expect((await reservation(body.orderId)).status).toBe('committed');
  });

  it('when shipping rejects the address after payment, then exactly one refund follows the charge and the stock is released', async () => {
    const { body } = await submit(
      order({ customerId: 'cust-bob', shippingAddress: { ...address, line1: '1 Undeliverable Road' } }),
    );
    const done = await settle(body.orderId);
    expect(done.status).toBe('failed');
    expect(done.failure).toMatchObject({ step: 'CreateShipment', type: 'UndeliverableAddress' });
    expect(done.compensations.map((c) => [c.step, c.outcome])).toEqual([
      ['CancelShipment', 'completed'],
      ['RefundPayment', 'completed'],
      ['ReleaseInventoryReservation', 'completed'],
    ]);
    const intents = await intentsFor(body.orderId);
    expect(intents).toHaveLength(1);
    expect(intents[0]!.amount_received).toBe(done.totals!.totalCents);
    const refunds = (await stripe.refunds.list({ payment_intent: intents[0]!.id })).data;
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.amount).toBe(intents[0]!.amount_received);
    expect((await reservation(body.orderId)).status).toBe('released');
  });

  it('when the same order is submitted twice with one Idempotency-Key, then both answers name the same order and it is charged once', async () => {
    const key = uniqueId('dup');
    const first = await submit(order({ customerId: 'cust-carol' }), key);
    const second = await submit(order({ customerId: 'cust-carol' }), key);
    expect(second.status).toBe(202);
    expect(second.body.orderId).toBe(first.body.orderId);
    expect(second.body.duplicate).toBe(true);
    await settle(first.body.orderId);
    expect(await intentsFor(first.body.orderId)).toHaveLength(1);

    const reused = await submit(
      order({ customerId: 'cust-carol', items: [{ sku: 'sku-gadget', quantity: 1 }] }),
      key,
    );
    expect(reused.status).toBe(422);
  });

  it('when the gateway charges but the response is lost, then the retried payment replays the same intent: one charge', async () => {
    const proxy = await toxiproxy.get(downstream.payment.name);
    // Responses from the gateway are cut; requests still arrive and take effect.
    const toxic = await proxy.addToxic({
      name: 'lose-responses',
      type: 'limit_data',
      stream: 'downstream',
      toxicity: 1,
      attributes: { bytes: 1 },
    });
    cleanups.push(() => toxic.remove());
    const { body } = await submit(order({ customerId: 'cust-dave' }));
    // The first attempt creates the intent, then loses the answer and fails; lift the toxic while
    // Temporal waits out the retry backoff, so the second attempt gets through.
    await eventually(
      async () => ((await intentsFor(body.orderId)).length > 0 ? true : undefined),
      20_000,
      'intent created',
    );
    await eventually(
      async () => {
        const { raw } = await temporalClient().workflow.getHandle(body.orderId).describe();
        const pending = raw.pendingActivities?.find((a) => a.activityType?.name === 'processPayment');
        return (pending?.attempt ?? 0) >= 2 ? true : undefined;
      },
      20_000,
      'ProcessPayment attempt 1 to fail',
    );
    await toxic.remove();
    const done = await settle(body.orderId, 60_000);
    expect(done.status).toBe('completed');
    const intents = await intentsFor(body.orderId);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ status: 'succeeded', amount_received: done.totals!.totalCents });
    // The retry really happened: ProcessPayment's recorded attempt count is above one.
    const history = await temporalClient().workflow.getHandle(body.orderId).fetchHistory();
    const completedPayment = (history.events ?? []).find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'processPayment',
    );
    const started = (history.events ?? []).find(
      (e) =>
        e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() ===
        completedPayment?.eventId?.toString(),
    );
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThan(1);
  });

  it('when the card is declined, then the order fails at ProcessPayment with nothing charged and the stock released', async () => {
    const { body } = await submit(order({ paymentMethod: 'pm_card_chargeDeclined' }));
    const done = await settle(body.orderId);
    expect(done.failure).toMatchObject({ step: 'ProcessPayment', type: 'PaymentDeclined' });
    const intents = await intentsFor(body.orderId);
    expect(intents.every((pi) => pi.amount_received === 0)).toBe(true);
    expect((await reservation(body.orderId)).status).toBe('released');
  });

  it('when a blocked customer orders, then validation fails it before anything is reserved or charged', async () => {
    const { body } = await submit(order({ customerId: 'cust-blocked' }));
    const done = await settle(body.orderId);
    expect(done.failure).toMatchObject({ step: 'ValidateOrder', type: 'CustomerNotEligible' });
    expect(done.compensations).toEqual([]);
    expect(await intentsFor(body.orderId)).toHaveLength(0);
  });

  it('when fraud flags a high-value order, then it waits in awaiting_review and a reviewer approval completes it', async () => {
    const { body } = await submit(order({ items: [{ sku: 'sku-widget', quantity: 120 }] }));
    await waitForStatus(body.orderId, 'awaiting_review');
    const notYet = await fetch(`${api}/orders/${body.orderId}/review`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"decision":"maybe"}',
    });
    expect(notYet.status).toBe(400);
    const res = await fetch(`${api}/orders/${body.orderId}/review`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve', reviewer: 'risk-analyst@orderflow' }),
    });
    expect(res.status).toBe(200);
    expect((await settle(body.orderId)).status).toBe('completed');

    const again = await fetch(`${api}/orders/${body.orderId}/review`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve', reviewer: 'late@orderflow' }),
    });
    expect(again.status).toBe(409);
  });

  it('when the fraud service rejects the customer, then the order fails without a charge', async () => {
    const { body } = await submit(order({ customerId: 'cust-fraudster' }));
    const done = await settle(body.orderId);
    expect(done.failure).toMatchObject({ step: 'RunFraudCheck', type: 'FraudRejected' });
    expect(await intentsFor(body.orderId)).toHaveLength(0);
  });
});
