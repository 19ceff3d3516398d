import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FastifyInstance } from 'fastify';
import { type Database, openDatabase } from '../../platform/sqlite.ts';
import { buildApp } from './app.ts';
import { type PriceView } from './catalog.ts';
import { type CouponView } from './coupons.ts';
import { type Quote } from './quotes.ts';
import { seed } from './seed.ts';
import { migrations } from './store.ts';
import { tempDir, type TempDir } from '../../test/support/services.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

describe('pricing-service', () => {
  let dir: TempDir;
  let db: Database;
  let app: FastifyInstance;
  let clock: Date;

  const open = (): void => {
    db = openDatabase(dir.file('pricing-service.db'), migrations);
    app = buildApp({ db, now: () => clock, logLevel: 'silent' });
  };
  const close = async (): Promise<void> => {
    await app.close();
    db.close();
  };

  beforeEach(() => {
    clock = new Date('2026-03-01T12:00:00Z');
    dir = tempDir('pricing-service');
    open();
    seed(db);
  });
  afterEach(async () => {
    await close();
    dir.remove();
  });

  const quote = (payload: unknown) =>
    app.inject({ method: 'POST', url: '/quotes', payload: payload as object });
  const quoteOf = async (payload: unknown) => {
    const res = await quote(payload);
    expect(res.statusCode).toBe(200);
    return res.json<Quote>();
  };
  const errorOf = async (payload: unknown) => {
    const res = await quote(payload);
    return { status: res.statusCode, error: res.json<ErrorBody>().error };
  };

  it('when a small cart is quoted, then it is list price with no discounts', async () => {
    expect(
      await quoteOf({
        items: [
          { sku: 'sku-widget', quantity: 2 },
          { sku: 'sku-gizmo', quantity: 1 },
        ],
      }),
    ).toEqual({
      currency: 'usd',
      lines: [
        {
          sku: 'sku-widget',
          quantity: 2,
          unitPriceCents: 1999,
          lineTotalCents: 3998,
          volumeDiscountCents: 0,
        },
        {
          sku: 'sku-gizmo',
          quantity: 1,
          unitPriceCents: 12999,
          lineTotalCents: 12999,
          volumeDiscountCents: 0,
        },
      ],
      subtotalCents: 16997,
      discounts: [],
      discountCents: 0,
      totalBeforeTaxCents: 16997,
    });
  });

  it('when the limited print is quoted, then it costs 2,500.00', async () => {
    expect((await quoteOf({ items: [{ sku: 'sku-limited', quantity: 1 }] })).totalBeforeTaxCents).toBe(
      250_000,
    );
  });

  it('when a line reaches 10 units, then it gets 5% off, rounded half up to the cent', async () => {
    const q = await quoteOf({ items: [{ sku: 'sku-widget', quantity: 10 }] });
    // 5% of 19990 is 999.5 cents.
    expect(q.lines[0]).toMatchObject({ lineTotalCents: 19990, volumeDiscountCents: 1000 });
    expect(q.discounts).toEqual([
      { kind: 'volume', description: '5% volume discount on 10 × sku-widget', amountCents: 1000 },
    ]);
    expect(q).toMatchObject({ subtotalCents: 19990, discountCents: 1000, totalBeforeTaxCents: 18990 });
  });

  it('when a line reaches 50 units, then it gets 10% off', async () => {
    const q = await quoteOf({
      items: [
        { sku: 'sku-gadget', quantity: 50 },
        { sku: 'sku-widget', quantity: 9 },
      ],
    });
    expect(q.lines.map((l) => l.volumeDiscountCents)).toEqual([24995, 0]);
    expect(q).toMatchObject({
      subtotalCents: 249950 + 17991,
      discountCents: 24995,
      totalBeforeTaxCents: 249950 + 17991 - 24995,
    });
  });

  it('when the same sku is listed twice, then it is one line and the volume tier sees the whole quantity', async () => {
    const q = await quoteOf({
      items: [
        { sku: 'sku-widget', quantity: 5 },
        { sku: 'sku-widget', quantity: 5 },
      ],
    });
    expect(q.lines).toEqual([
      {
        sku: 'sku-widget',
        quantity: 10,
        unitPriceCents: 1999,
        lineTotalCents: 19990,
        volumeDiscountCents: 1000,
      },
    ]);
  });

  it('when SAVE10 is applied, then it takes 10% off what is left after volume discounts', async () => {
    const q = await quoteOf({
      items: [
        { sku: 'sku-widget', quantity: 10 },
        { sku: 'sku-gadget', quantity: 1 },
      ],
      couponCode: 'SAVE10',
    });
    // Subtotal 24989, volume 1000, 10% of 23989 = 2398.9 → 2399.
    expect(q.discounts).toEqual([
      { kind: 'volume', description: '5% volume discount on 10 × sku-widget', amountCents: 1000 },
      { kind: 'coupon', code: 'SAVE10', description: '10% off your order', amountCents: 2399 },
    ]);
    expect(q).toMatchObject({ subtotalCents: 24989, discountCents: 3399, totalBeforeTaxCents: 21590 });
  });

  it('when a coupon code is typed in lower case, then it still applies', async () => {
    const q = await quoteOf({ items: [{ sku: 'sku-widget', quantity: 1 }], couponCode: ' save10 ' });
    expect(q.discounts[0]).toMatchObject({ code: 'SAVE10', amountCents: 200 });
  });

  it('when WELCOME5 is applied to a subtotal of at least 20.00, then 5.00 comes off', async () => {
    const q = await quoteOf({ items: [{ sku: 'sku-widget', quantity: 2 }], couponCode: 'WELCOME5' });
    expect(q).toMatchObject({ subtotalCents: 3998, discountCents: 500, totalBeforeTaxCents: 3498 });
  });

  it('when WELCOME5 is applied below its minimum, then 422 COUPON_MINIMUM_NOT_MET', async () => {
    expect(await errorOf({ items: [{ sku: 'sku-widget', quantity: 1 }], couponCode: 'WELCOME5' })).toEqual({
      status: 422,
      error: {
        code: 'COUPON_MINIMUM_NOT_MET',
        message: 'coupon WELCOME5 needs a subtotal of at least $20.00',
        details: { couponCode: 'WELCOME5', minSubtotalCents: 2000, subtotalCents: 1999 },
      },
    });
  });

  it('when an expired coupon is applied, then 422 COUPON_EXPIRED', async () => {
    const { status, error } = await errorOf({
      items: [{ sku: 'sku-widget', quantity: 1 }],
      couponCode: 'EXPIRED2020',
    });
    expect(status).toBe(422);
    expect(error).toMatchObject({
      code: 'COUPON_EXPIRED',
      details: { expiredAt: '2021-01-01T00:00:00.000Z' },
    });
  });

  it('when an unknown coupon is applied, then 422 INVALID_COUPON', async () => {
    const { status, error } = await errorOf({
      items: [{ sku: 'sku-widget', quantity: 1 }],
      couponCode: 'FREESTUFF',
    });
    expect(status).toBe(422);
    expect(error.code).toBe('INVALID_COUPON');
  });

  it('when an unknown sku is quoted, then 422 SKU_NOT_FOUND with the sku', async () => {
    const { status, error } = await errorOf({
      items: [
        { sku: 'sku-widget', quantity: 1 },
        { sku: 'sku-ghost', quantity: 1 },
      ],
    });
    expect(status).toBe(422);
    expect(error).toMatchObject({ code: 'SKU_NOT_FOUND', details: { sku: 'sku-ghost' } });
  });

  it.each([null, ''])('when the coupon code is %j, then no coupon is applied', async (couponCode) => {
    expect((await quoteOf({ items: [{ sku: 'sku-widget', quantity: 1 }], couponCode })).discounts).toEqual(
      [],
    );
  });

  it('when a coupon is worth more than the order, then the total stops at zero', async () => {
    await app.inject({
      method: 'PUT',
      url: '/coupons/BIGGIFT',
      payload: { description: '$1,000 gift', amountOffCents: 100_000 },
    });
    const q = await quoteOf({ items: [{ sku: 'sku-widget', quantity: 1 }], couponCode: 'BIGGIFT' });
    expect(q).toMatchObject({ subtotalCents: 1999, discountCents: 1999, totalBeforeTaxCents: 0 });
  });

  it('when a coupon reaches its expiry time, then it stops applying', async () => {
    const created = await app.inject({
      method: 'PUT',
      url: '/coupons/spring26',
      payload: { description: 'Spring sale', percentOff: 12.5, expiresAt: '2026-03-31T23:59:59Z' },
    });
    expect(created.json<CouponView>()).toEqual({
      code: 'SPRING26',
      description: 'Spring sale',
      percentOff: 12.5,
      minSubtotalCents: 0,
      expiresAt: '2026-03-31T23:59:59.000Z',
    });
    const order = { items: [{ sku: 'sku-gadget', quantity: 1 }], couponCode: 'SPRING26' };
    // 12.5% of 4999 = 624.875 → 625.
    expect((await quoteOf(order)).discountCents).toBe(625);

    clock = new Date('2026-04-01T00:00:00Z');
    expect((await errorOf(order)).error.code).toBe('COUPON_EXPIRED');
  });

  it('when a price is changed, then new quotes use it', async () => {
    const changed = await app.inject({
      method: 'PUT',
      url: '/prices/sku-widget',
      payload: { unitPriceCents: 2499 },
    });
    expect(changed.json<PriceView>()).toEqual({
      sku: 'sku-widget',
      name: 'Widget',
      unitPriceCents: 2499,
      currency: 'usd',
    });
    expect((await quoteOf({ items: [{ sku: 'sku-widget', quantity: 1 }] })).totalBeforeTaxCents).toBe(2499);
  });

  it('when an unknown price or coupon is read, then 404 with a stable code', async () => {
    const price = await app.inject({ method: 'GET', url: '/prices/sku-ghost' });
    const coupon = await app.inject({ method: 'GET', url: '/coupons/NOPE' });
    expect([price.statusCode, price.json<ErrorBody>().error.code]).toEqual([404, 'SKU_NOT_FOUND']);
    expect([coupon.statusCode, coupon.json<ErrorBody>().error.code]).toEqual([404, 'COUPON_NOT_FOUND']);
  });

  it('when the seed runs again, then it inserts nothing', () => {
    expect(seed(db)).toBe(0);
  });

  it('when the database is closed and reopened, then changed prices and new coupons survive', async () => {
    await app.inject({ method: 'PUT', url: '/prices/sku-gizmo', payload: { unitPriceCents: 9999 } });
    await app.inject({
      method: 'PUT',
      url: '/coupons/LOYAL',
      payload: { description: '$1 off', amountOffCents: 100 },
    });
    await close();

    open();
    expect(seed(db)).toBe(0);
    const q = await quoteOf({ items: [{ sku: 'sku-gizmo', quantity: 1 }], couponCode: 'LOYAL' });
    expect(q).toMatchObject({ subtotalCents: 9999, discountCents: 100, totalBeforeTaxCents: 9899 });
  });

  it.each([
    ['no body', undefined],
    ['no items', { items: [] }],
    ['a zero quantity', { items: [{ sku: 'sku-widget', quantity: 0 }] }],
    ['a fractional quantity', { items: [{ sku: 'sku-widget', quantity: 2.5 }] }],
    ['a quantity as a string', { items: [{ sku: 'sku-widget', quantity: '2' }] }],
    ['a numeric sku', { items: [{ sku: 42, quantity: 1 }] }],
    ['a coupon code that is a number', { items: [{ sku: 'sku-widget', quantity: 1 }], couponCode: 10 }],
    [
      'a coupon code with spaces inside',
      { items: [{ sku: 'sku-widget', quantity: 1 }], couponCode: 'SAVE 10' },
    ],
  ])('when a quote is asked with %s, then 400 VALIDATION_FAILED', async (_what, payload) => {
    const res = await app.inject({
      method: 'POST',
      url: '/quotes',
      ...(payload === undefined ? {} : { payload }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['both a percentage and an amount', { description: 'x', percentOff: 10, amountOffCents: 100 }],
    ['neither a percentage nor an amount', { description: 'x' }],
    ['a percentage over 100', { description: 'x', percentOff: 150 }],
    ['an expiry that is not a date', { description: 'x', percentOff: 10, expiresAt: 'soon' }],
  ])('when a coupon is set with %s, then 400 VALIDATION_FAILED', async (_what, payload) => {
    const res = await app.inject({ method: 'PUT', url: '/coupons/BAD', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });

  it('when a price is set negative, then 400 VALIDATION_FAILED', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/prices/sku-widget',
      payload: { unitPriceCents: -1 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });

  it('when faults are injected at rate 1, then quotes answer 503 INJECTED_FAULT and /healthz does not', async () => {
    expect(
      (await app.inject({ method: 'PUT', url: '/admin/faults', payload: { errorRate: 1 } })).statusCode,
    ).toBe(200);
    const { status, error } = await errorOf({ items: [{ sku: 'sku-widget', quantity: 1 }] });
    expect(status).toBe(503);
    expect(error.code).toBe('INJECTED_FAULT');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
