import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FastifyInstance } from 'fastify';
import { type Database, openDatabase } from '../../platform/sqlite.ts';
import { buildApp } from './app.ts';
import { seed } from './seed.ts';
import { type AvailabilityView, type StockView } from './stock.ts';
import { migrations } from './store.ts';
import { tempDir, type TempDir } from '../../test/support/services.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

describe('inventory-service stock', () => {
  let dir: TempDir;
  let db: Database;
  let app: FastifyInstance;

  beforeEach(() => {
    dir = tempDir('inventory-stock');
    db = openDatabase(dir.file('inventory-service.db'), migrations);
    seed(db);
    app = buildApp({ db, logLevel: 'silent' });
  });
  afterEach(async () => {
    await app.close();
    db.close();
    dir.remove();
  });

  const availability = (payload: unknown) =>
    app.inject({ method: 'POST', url: '/availability', payload: payload as object });

  it('when stock is looked up, then on hand, reserved and available are given', async () => {
    const res = await app.inject({ method: 'GET', url: '/stock/sku-limited' });
    expect(res.statusCode).toBe(200);
    expect(res.json<StockView>()).toEqual({
      sku: 'sku-limited',
      name: 'Limited edition print',
      onHand: 3,
      reserved: 0,
      available: 3,
    });
  });

  it('when an unknown sku is looked up, then 404 SKU_NOT_FOUND', async () => {
    const res = await app.inject({ method: 'GET', url: '/stock/sku-nothing' });
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorBody>().error).toMatchObject({
      code: 'SKU_NOT_FOUND',
      details: { sku: 'sku-nothing' },
    });
  });

  it('when every line is in stock, then the order is available', async () => {
    const res = await availability({
      items: [
        { sku: 'sku-widget', quantity: 2 },
        { sku: 'sku-limited', quantity: 3 },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<AvailabilityView>()).toEqual({
      available: true,
      items: [
        { sku: 'sku-widget', requested: 2, available: 10_000 },
        { sku: 'sku-limited', requested: 3, available: 3 },
      ],
    });
  });

  it('when a line is sold out, then the order is not available and the line says so', async () => {
    const body = (
      await availability({
        items: [
          { sku: 'sku-widget', quantity: 1 },
          { sku: 'sku-soldout', quantity: 1 },
        ],
      })
    ).json<AvailabilityView>();
    expect(body.available).toBe(false);
    expect(body.items[1]).toEqual({ sku: 'sku-soldout', requested: 1, available: 0 });
  });

  it('when the same sku is listed twice, then the quantities are checked together', async () => {
    const body = (
      await availability({
        items: [
          { sku: 'sku-limited', quantity: 2 },
          { sku: 'sku-limited', quantity: 2 },
        ],
      })
    ).json<AvailabilityView>();
    expect(body).toEqual({ available: false, items: [{ sku: 'sku-limited', requested: 4, available: 3 }] });
  });

  it('when availability asks for an unknown sku, then 404 SKU_NOT_FOUND with the sku', async () => {
    const res = await availability({
      items: [
        { sku: 'sku-widget', quantity: 1 },
        { sku: 'sku-ghost', quantity: 1 },
      ],
    });
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorBody>().error).toMatchObject({
      code: 'SKU_NOT_FOUND',
      details: { sku: 'sku-ghost' },
    });
  });

  it.each([
    ['no body', undefined],
    ['no items', { items: [] }],
    ['a zero quantity', { items: [{ sku: 'sku-widget', quantity: 0 }] }],
    ['a fractional quantity', { items: [{ sku: 'sku-widget', quantity: 1.5 }] }],
    ['a quantity as a string', { items: [{ sku: 'sku-widget', quantity: '1' }] }],
    ['a missing sku', { items: [{ quantity: 1 }] }],
    ['items that are not a list', { items: 'sku-widget' }],
  ])('when availability is asked with %s, then 400 VALIDATION_FAILED', async (_what, payload) => {
    const res = await app.inject({
      method: 'POST',
      url: '/availability',
      ...(payload === undefined ? {} : { payload }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });

  it('when stock is counted in, then on hand changes and a new sku can be created', async () => {
    const counted = await app.inject({ method: 'PUT', url: '/stock/sku-limited', payload: { onHand: 10 } });
    expect(counted.json<StockView>()).toMatchObject({
      onHand: 10,
      available: 10,
      name: 'Limited edition print',
    });

    const created = await app.inject({
      method: 'PUT',
      url: '/stock/sku-new',
      payload: { name: 'New thing', onHand: 5 },
    });
    expect(created.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/stock/sku-new' })).json<StockView>()).toMatchObject({
      name: 'New thing',
      onHand: 5,
    });
  });

  it('when on hand would drop below what is reserved, then 409 STOCK_BELOW_RESERVED', async () => {
    await app.inject({
      method: 'POST',
      url: '/reservations',
      payload: { reservationId: 'r-count', items: [{ sku: 'sku-limited', quantity: 2 }] },
    });
    const res = await app.inject({ method: 'PUT', url: '/stock/sku-limited', payload: { onHand: 1 } });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error).toMatchObject({
      code: 'STOCK_BELOW_RESERVED',
      details: { reserved: 2 },
    });
  });

  it('when a stock count is negative, then 400 VALIDATION_FAILED', async () => {
    const res = await app.inject({ method: 'PUT', url: '/stock/sku-widget', payload: { onHand: -1 } });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });

  it('when faults are injected at rate 1, then business routes answer 503 INJECTED_FAULT and /healthz does not', async () => {
    expect(
      (await app.inject({ method: 'PUT', url: '/admin/faults', payload: { errorRate: 1 } })).statusCode,
    ).toBe(200);

    const res = await availability({ items: [{ sku: 'sku-widget', quantity: 1 }] });
    expect(res.statusCode).toBe(503);
    expect(res.json<ErrorBody>().error.code).toBe('INJECTED_FAULT');
    const reserve = await app.inject({
      method: 'POST',
      url: '/reservations',
      payload: { reservationId: 'r-fault', items: [{ sku: 'sku-widget', quantity: 1 }] },
    });
    expect(reserve.statusCode).toBe(503);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

    // The failed reservation must not have held anything.
    await app.inject({ method: 'DELETE', url: '/admin/faults' });
    expect((await app.inject({ method: 'GET', url: '/stock/sku-widget' })).json<StockView>().reserved).toBe(
      0,
    );
  });
});
