// legacy-order-service (ADR-0031's synchronous pipeline) on the running stack (`npm start`): order-api's
// contract answered in one request, the real downstream services behind Toxiproxy, the Stripe SDK against the
// payment-gateway, and no saga: a failure after the payment leaves the customer charged, as ADR-0047 says.
import { describe, expect, it } from 'vitest';
import { host, ports } from '../../platform/ports.ts';
import { address, order, reservation, stripe } from '../support/orders.ts';
import { requireComponent, uniqueId } from '../support/stack.ts';

const legacy = `http://${host}:${ports.legacyOrderService}`;

interface Answer {
  orderId: string;
  status: string;
  duplicate: boolean;
  pipeline: string;
  paymentIntentId: string | null;
  trackingNumber: string | null;
  failure: { step: string; type: string } | null;
  compensations: unknown[];
  error?: {
    code: string;
    details: {
      orderId: string;
      failure: { step: string; type: string };
      charged: { paymentIntentId: string; amountCents: number } | null;
    };
  };
}

async function checkout(
  body: unknown,
  key = uniqueId('legacy-e2e'),
): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`${legacy}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

const get = async (orderId: string): Promise<Answer> =>
  (await (await fetch(`${legacy}/orders/${orderId}`)).json()) as Answer;

describe('legacy-order-service end to end', () => {
  it('when a valid order is submitted, then the request returns it completed: charged once, shipped, stock committed', async () => {
    await requireComponent('legacy-order-service', { kind: 'http', url: `${legacy}/readyz` });
    const key = uniqueId('legacy-e2e');
    const { status, body } = await checkout(order({ couponCode: 'SAVE10' }), key);
    expect(status).toBe(202); // order-api's status; the body is the finished order
    expect(body).toMatchObject({ status: 'completed', pipeline: 'legacy', duplicate: false });
    expect(body.trackingNumber).toMatch(/^OFX\d{12}$/);
    const intent = await stripe.paymentIntents.retrieve(body.paymentIntentId!);
    expect(intent).toMatchObject({
      status: 'succeeded',
      metadata: { order_id: body.orderId, pipeline: 'legacy' },
    });
    expect((await reservation(body.orderId)).status).toBe('committed');
    expect((await get(body.orderId)).status).toBe('completed');

    const again = await checkout(order({ couponCode: 'SAVE10' }), key);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ orderId: body.orderId, duplicate: true, status: 'completed' });
  });

  it('when shipping rejects the address after payment, then the order fails and the charge stays: no refund, stock still held (no saga)', async () => {
    const { status, body } = await checkout(
      order({ customerId: 'cust-bob', shippingAddress: { ...address, line1: '1 Undeliverable Road' } }),
    );
    expect(status).toBe(422);
    const { error } = body;
    expect(error?.code).toBe('ORDER_DECLINED');
    expect(error?.details.failure).toMatchObject({ step: 'CreateShipment', type: 'UndeliverableAddress' });
    const charged = error!.details.charged!;
    const intent = await stripe.paymentIntents.retrieve(charged.paymentIntentId);
    expect(intent).toMatchObject({ status: 'succeeded', amount_received: charged.amountCents });
    expect((await stripe.refunds.list({ payment_intent: intent.id })).data).toHaveLength(0);
    expect((await reservation(error!.details.orderId)).status).toBe('held');
    expect(await get(error!.details.orderId)).toMatchObject({ status: 'failed', compensations: [] });
  });

  it('when the card is declined, then 422 ORDER_DECLINED at ProcessPayment and nothing is charged', async () => {
    const { status, body } = await checkout(order({ paymentMethod: 'pm_card_chargeDeclined' }));
    expect(status).toBe(422);
    expect(body.error?.details).toMatchObject({
      failure: { step: 'ProcessPayment', type: 'PaymentDeclined' },
      charged: null,
    });
  });

  it('when the body is invalid, then 400 VALIDATION_FAILED, as order-api answers', async () => {
    const { status, body } = await checkout({ ...order(), items: [] });
    expect(status).toBe(400);
    expect(body.error?.code).toBe('VALIDATION_FAILED');
  });

  it('when its metrics are scraped, then the ADR counters carry pipeline="legacy" and it has no compensation', async () => {
    const text = await (await fetch(`${legacy}/metrics`)).text();
    expect(text).toMatch(
      /order_workflow_status_total\{status="completed",kind="none",pipeline="legacy"\} [1-9]/,
    );
    expect(text).toMatch(/compensation_triggered_total\{step="CreateShipment",pipeline="legacy"\} 0/);
    expect(text).toMatch(
      /orderflow_orphaned_payments_total\{step="CreateShipment",pipeline="legacy"\} [1-9]/,
    );
    expect(text).toMatch(
      /activity_duration_seconds_count\{pipeline="legacy",activity="ReserveInventory"\} [1-9]/,
    );
  });
});
