// legacy-order-service in-process, with a real SQLite order store and a scripted checkout: order-api's
// contract (validation, Idempotency-Key, error envelope) and how each checkout outcome is answered.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteOrderStore, type OrderStore } from '../../order-store/index.ts';
import { createRegistry } from '../../observability/metrics/definitions.ts';
import { buildApp } from './app.ts';
import type { CheckoutResult } from './checkout.ts';
import { createLegacyMetrics } from './metrics.ts';
import { createLegacyOrders, legacyOrderIdFor } from './orders.ts';

const valid = {
  customerId: 'cust-alice',
  items: [{ sku: 'sku-widget', quantity: 2 }],
  shippingAddress: { line1: '1 Main St', city: 'San Francisco', postalCode: '94105', country: 'US' },
  paymentMethod: 'pm_card_visa',
};
const pricing = {
  currency: 'usd',
  subtotalCents: 3998,
  discountCents: 0,
  taxCents: 290,
  totalCents: 4288,
  taxJurisdiction: 'US-CA',
};
const payment = { paymentIntentId: 'pi_1', amountCents: 4288, currency: 'usd' };
const completed: CheckoutResult = {
  status: 'completed',
  pricing,
  payment,
  shipment: { shipmentId: 's', trackingNumber: 'OFX1', carrier: 'orderflow-express' },
};
const failed = (over: Partial<Extract<CheckoutResult, { status: 'failed' }>>): CheckoutResult => ({
  status: 'failed',
  failure: { step: 'CreateShipment', type: 'DownstreamUnavailable', message: 'shipping-service unreachable' },
  declined: false,
  deadlineExceeded: false,
  charged: payment,
  pricing,
  ...over,
});

const stores: OrderStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function appWith(outcome: () => CheckoutResult) {
  const store = SqliteOrderStore.open(join(mkdtempSync(join(tmpdir(), 'legacy-')), 'orders.db'));
  stores.push(store);
  const registry = createRegistry();
  let checkouts = 0;
  const app = buildApp({
    logLevel: 'silent',
    metrics: registry,
    orders: createLegacyOrders({
      store,
      deadlineMs: 10_000,
      metrics: createLegacyMetrics(registry),
      checkout: () => {
        checkouts++;
        return Promise.resolve(outcome());
      },
    }),
  });
  return { app, registry, checkouts: () => checkouts };
}

interface ErrorBody {
  error: { code: string; details: { orderId: string; charged: unknown } };
}
interface OrderBody {
  orderId: string;
  status: string;
}
type Reply = Awaited<ReturnType<ReturnType<typeof appWith>['app']['inject']>>;
const errorOf = (res: Reply) => res.json<ErrorBody>().error;

const post = (app: ReturnType<typeof appWith>['app'], body: unknown, key?: string) =>
  app.inject({
    method: 'POST',
    url: '/orders',
    payload: body as object,
    headers: key ? { 'idempotency-key': key } : {},
  });

describe('POST /orders', () => {
  it('when the checkout completes, then 202 with the completed order (order-api’s status), and GET returns it completed', async () => {
    const { app } = appWith(() => completed);
    const res = await post(app, valid, 'k-1');
    expect(res.statusCode).toBe(202);
    expect(res.headers.location).toBe(`/orders/${res.json<OrderBody>().orderId}`);
    const body = res.json<OrderBody>();
    expect(body).toMatchObject({
      status: 'completed',
      duplicate: false,
      pipeline: 'legacy',
      trackingNumber: 'OFX1',
    });
    expect(body.orderId).toBe(legacyOrderIdFor('cust-alice', 'k-1'));
    const got = await app.inject({ method: 'GET', url: `/orders/${body.orderId}` });
    expect(got.json()).toMatchObject({ status: 'completed', totals: { totalCents: 4288 } });
  });

  it('when the same key is sent again, then no second checkout runs and the stored order comes back', async () => {
    const s = appWith(() => completed);
    await post(s.app, valid, 'k-2');
    const again = await post(s.app, valid, 'k-2');
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ duplicate: true, status: 'completed' });
    expect(s.checkouts()).toBe(1);
  });

  it('when the key was used for another order, then 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const s = appWith(() => completed);
    await post(s.app, valid, 'k-3');
    const other = await post(s.app, { ...valid, items: [{ sku: 'sku-gadget', quantity: 1 }] }, 'k-3');
    expect(other.statusCode).toBe(422);
    expect(errorOf(other).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('when the deadline passed after the charge, then 504 CHECKOUT_DEADLINE_EXCEEDED, charged, and the order failed with nothing undone', async () => {
    const { app, registry } = appWith(() =>
      failed({
        deadlineExceeded: true,
        failure: { step: 'FinalizeOrder', type: 'CheckoutDeadlineExceeded', message: 'deadline' },
      }),
    );
    const res = await post(app, valid, 'k-4');
    expect(res.statusCode).toBe(504);
    const error = errorOf(res);
    expect(error.code).toBe('CHECKOUT_DEADLINE_EXCEEDED');
    expect(error.details.charged).toEqual({ paymentIntentId: 'pi_1', amountCents: 4288 });
    const got = (
      await app.inject({ method: 'GET', url: `/orders/${error.details.orderId}` })
    ).json<OrderBody>();
    expect(got).toMatchObject({
      status: 'failed',
      compensations: [],
      failure: { type: 'CheckoutDeadlineExceeded' },
    });
    const text = await registry.metrics();
    expect(text).toMatch(
      /order_workflow_status_total\{status="timed_out",kind="technical",pipeline="legacy"\} 1/,
    );
    expect(text).toMatch(/orderflow_orphaned_payments_total\{step="FinalizeOrder",pipeline="legacy"\} 1/);
  });

  it('when a downstream call failed, then 502 DOWNSTREAM_FAILED', async () => {
    const { app } = appWith(() => failed({ charged: undefined }));
    const res = await post(app, valid, 'k-5');
    expect(res.statusCode).toBe(502);
    expect(errorOf(res)).toMatchObject({ code: 'DOWNSTREAM_FAILED', details: { charged: null } });
  });

  it('when a rule declined the order, then 422 ORDER_DECLINED counted as a business failure', async () => {
    const { app, registry } = appWith(() =>
      failed({
        declined: true,
        charged: undefined,
        failure: { step: 'ProcessPayment', type: 'PaymentDeclined', message: 'card declined' },
      }),
    );
    const res = await post(app, valid, 'k-6');
    expect(res.statusCode).toBe(422);
    expect(errorOf(res).code).toBe('ORDER_DECLINED');
    expect(await registry.metrics()).toMatch(
      /order_workflow_status_total\{status="failed",kind="business",pipeline="legacy"\} 1/,
    );
  });

  it.each([
    [{ ...valid, items: [] }, 'VALIDATION_FAILED'],
    [{ ...valid, paymentMethod: 'visa' }, 'VALIDATION_FAILED'],
    [{ ...valid, extra: 1 }, 'VALIDATION_FAILED'],
  ])('when the body is invalid (%#), then 400 %s and no checkout', async (body, code) => {
    const s = appWith(() => completed);
    const res = await post(s.app, body);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe(code);
    expect(s.checkouts()).toBe(0);
  });

  it('when the Idempotency-Key is too long, then 400 INVALID_IDEMPOTENCY_KEY', async () => {
    const res = await post(appWith(() => completed).app, valid, 'k'.repeat(300));
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('INVALID_IDEMPOTENCY_KEY');
  });
});

describe('GET /orders/:id', () => {
  it('when the order does not exist, then 404 ORDER_NOT_FOUND; a malformed id, 400 INVALID_ORDER_ID', async () => {
    const { app } = appWith(() => completed);
    expect(errorOf(await app.inject({ method: 'GET', url: '/orders/ord_nope' })).code).toBe(
      'ORDER_NOT_FOUND',
    );
    expect(errorOf(await app.inject({ method: 'GET', url: '/orders/a%20b' })).code).toBe('INVALID_ORDER_ID');
  });
});

describe('order ids', () => {
  it("never collide with order-api's for the same customer and key", async () => {
    const { orderIdFor } = await import('../order-api/orders.ts');
    expect(legacyOrderIdFor('cust-alice', 'k')).not.toBe(orderIdFor('cust-alice', 'k'));
    expect(legacyOrderIdFor('cust-alice', 'k')).toBe(legacyOrderIdFor('cust-alice', 'k'));
  });
});
