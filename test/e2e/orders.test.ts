// End to end through order-api on the running stack (`npm start`): real Temporal, real workers, the
// downstream services behind Toxiproxy, the Stripe SDK against the payment-gateway.
import { describe, expect, it } from 'vitest';
import { requireComponent, uniqueId } from '../support/stack.ts';
import {
  address,
  api,
  intentsFor,
  order,
  reservation,
  settle,
  stripe,
  submit,
  waitForStatus,
  postReview,
  temporalClient,
} from '../support/orders.ts';
import { temporalOpenOrders } from '../../services/order-api/order-gauges.ts';
import { ADR_STEPS } from '../../contracts/order/types.ts';

describe('orders end to end', () => {
  it('when a valid order is submitted, then it completes with one captured payment, a tracking number and committed stock', async () => {
    await requireComponent('order-api', { kind: 'http', url: `${api}/readyz` });
    const { status, body } = await submit(order({ couponCode: 'SAVE10' }));
    expect(status).toBe(202);
    expect(body.workflowId).toBe(body.orderId);

    const done = await settle(body.orderId);
    expect(done.status).toBe('completed');
    expect(done.trackingNumber).toMatch(/^OFX\d{12}$/);
    expect(done.timeline.filter((t) => t.status === 'completed').map((t) => t.step)).toEqual([...ADR_STEPS]);
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

  it('when the card is declined, then the order fails at ProcessPayment with nothing charged and the stock released', async () => {
    const { body } = await submit(order({ paymentMethod: 'pm_card_chargeDeclined' }));
    const done = await settle(body.orderId);
    expect(done.failure).toMatchObject({ step: 'ProcessPayment', type: 'PaymentDeclined' });
    // The one intent the payment step created (unconfirmed, then declined): nothing received on it.
    const intents = await intentsFor(body.orderId);
    expect(intents).toHaveLength(1);
    expect(intents[0]!.amount_received).toBe(0);
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
    // order-api's in-flight gauges see it awaiting review from visibility alone (its search attributes).
    const openOrders = temporalOpenOrders(temporalClient());
    await expect
      .poll(async () => (await openOrders()).find((o) => o.orderId === body.orderId)?.status, {
        timeout: 10_000,
      })
      .toBe('awaiting_review');
    const notYet = await postReview(body.orderId, '{"decision":"maybe"}');
    expect(notYet.status).toBe(400);
    const res = await postReview(body.orderId, { decision: 'approve', reviewer: 'risk-analyst@orderflow' });
    expect(res.status).toBe(200);
    expect((await settle(body.orderId)).status).toBe('completed');

    const again = await postReview(body.orderId, { decision: 'approve', reviewer: 'late@orderflow' });
    expect(again.status).toBe(409);
  });

  it('when the fraud service rejects the customer, then the order fails without a charge', async () => {
    const { body } = await submit(order({ customerId: 'cust-fraudster' }));
    const done = await settle(body.orderId);
    expect(done.failure).toMatchObject({ step: 'RunFraudCheck', type: 'FraudRejected' });
    expect(await intentsFor(body.orderId)).toHaveLength(0);
  });
});
