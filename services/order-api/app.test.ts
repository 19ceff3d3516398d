// order-api in-process: validation, stable error codes, and no acceptance while Temporal is unreachable.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { buildApp } from './app.ts';
import { createOrders, orderIdFor } from './orders.ts';
import { SqliteOrderStore, type OrderStore } from '../../order-store/index.ts';

const valid = {
  customerId: 'cust-alice',
  items: [{ sku: 'sku-widget', quantity: 2 }],
  shippingAddress: { line1: '1 Main St', city: 'San Francisco', postalCode: '94105', country: 'US' },
  paymentMethod: 'pm_card_visa',
};

const opened: { store: OrderStore; connection: Connection }[] = [];
afterEach(async () => {
  for (const { store, connection } of opened.splice(0)) {
    await store.close();
    await connection.close();
  }
});

/** An app whose Temporal is a closed port: every call to it fails as "unavailable". */
function appWithoutTemporal() {
  const store = SqliteOrderStore.open(join(mkdtempSync(join(tmpdir(), 'order-api-')), 'orders.db'));
  const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
  opened.push({ store, connection });
  const temporal = new Client({ connection });
  const app = buildApp({
    orders: createOrders({ store, temporal, reviewTimeoutSeconds: 60 }),
    ready: () =>
      connection.withDeadline(
        Date.now() + 1000,
        async () => void (await connection.workflowService.getSystemInfo({})),
      ),
    logLevel: 'silent',
  });
  return { app, store };
}

const post = (
  app: ReturnType<typeof appWithoutTemporal>['app'],
  body: unknown,
  headers: Record<string, string> = {},
) =>
  app.inject({
    method: 'POST',
    url: '/orders',
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('order-api', () => {
  it.each([
    ['no items', { ...valid, items: [] }, 'items'],
    ['a zero quantity', { ...valid, items: [{ sku: 'sku-widget', quantity: 0 }] }, 'items.0.quantity'],
    [
      'a lower-case country',
      { ...valid, shippingAddress: { ...valid.shippingAddress, country: 'us' } },
      'shippingAddress.country',
    ],
    [
      'a payment method that is not a pm_ id',
      { ...valid, paymentMethod: '4242424242424242' },
      'paymentMethod',
    ],
    ['an unknown field', { ...valid, giftWrap: true }, ''],
    ['a missing customer', { ...valid, customerId: undefined }, 'customerId'],
  ])('when the body has %s, then 400 VALIDATION_FAILED names the field', async (_case, body, path) => {
    const { app } = appWithoutTemporal();
    const res = await post(app, body);
    expect(res.statusCode).toBe(400);
    const { error } = res.json<{ error: { code: string; details: { path: string }[] } }>();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((d) => d.path)).toContain(path);
  });

  it('when the body is not JSON, then 400 INVALID_JSON, never 500', async () => {
    const { app } = appWithoutTemporal();
    const res = await post(app, '{"customerId":');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'INVALID_JSON' } });
  });

  it('when Temporal is unreachable, then POST /orders answers 503 TEMPORAL_UNAVAILABLE and stores nothing', async () => {
    const { app, store } = appWithoutTemporal();
    const res = await post(app, valid, { 'idempotency-key': 'k-503' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: { code: 'TEMPORAL_UNAVAILABLE' } });
    expect(await store.get(orderIdFor(valid.customerId, 'k-503'))).toBeUndefined();
  });

  it('when Temporal is unreachable, then /readyz is 503 and /healthz is 200', async () => {
    const { app } = appWithoutTemporal();
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('when an order id is unknown, then GET answers 404 ORDER_NOT_FOUND', async () => {
    const { app } = appWithoutTemporal();
    const res = await app.inject({ url: '/orders/ord_missing' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'ORDER_NOT_FOUND' } });
  });

  it('when the same customer reuses an Idempotency-Key, then the order id is the same; another customer gets another id', () => {
    expect(orderIdFor('cust-alice', 'k1')).toBe(orderIdFor('cust-alice', 'k1'));
    expect(orderIdFor('cust-bob', 'k1')).not.toBe(orderIdFor('cust-alice', 'k1'));
    expect(orderIdFor('cust-alice', undefined)).not.toBe(orderIdFor('cust-alice', undefined));
  });
});
