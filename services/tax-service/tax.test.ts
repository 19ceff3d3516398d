import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FastifyInstance } from 'fastify';
import { type Database, openDatabase } from '../../platform/sqlite.ts';
import { buildApp } from './app.ts';
import { seed } from './seed.ts';
import { migrations } from './store.ts';
import { type RateView, type TaxResult } from './tax.ts';
import { tempDir, type TempDir } from '../../test/support/services.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

describe('tax-service', () => {
  let dir: TempDir;
  let db: Database;
  let app: FastifyInstance;

  const open = (): void => {
    db = openDatabase(dir.file('tax-service.db'), migrations);
    app = buildApp({ db, now: () => new Date('2026-03-01T12:00:00Z'), logLevel: 'silent' });
  };
  const close = async (): Promise<void> => {
    await app.close();
    db.close();
  };

  beforeEach(() => {
    dir = tempDir('tax-service');
    open();
    seed(db);
  });
  afterEach(async () => {
    await close();
    dir.remove();
  });

  const tax = (payload: unknown) => app.inject({ method: 'POST', url: '/tax', payload: payload as object });
  const taxOf = async (country: string, postalCode: string, amountCents: number) => {
    const res = await tax({ country, postalCode, amountCents });
    expect(res.statusCode).toBe(200);
    return res.json<TaxResult>();
  };

  it.each([
    ['US', '94105', 10_000, { jurisdiction: 'US-CA', ratePercent: 7.25, taxCents: 725 }],
    ['US', '90210-1234', 10_000, { jurisdiction: 'US-CA', ratePercent: 7.25, taxCents: 725 }],
    ['US', '10001', 1_999, { jurisdiction: 'US-NY', ratePercent: 8, taxCents: 160 }],
    ['US', '14201', 10_000, { jurisdiction: 'US-NY', ratePercent: 8, taxCents: 800 }],
    ['US', '60601', 1_999, { jurisdiction: 'US-IL', ratePercent: 6.25, taxCents: 125 }],
    ['US', '97201', 250_000, { jurisdiction: 'US-OR', ratePercent: 0, taxCents: 0 }],
    ['US', '33101', 10_000, { jurisdiction: 'US', ratePercent: 5, taxCents: 500 }],
    ['DE', '10115', 10_000, { jurisdiction: 'DE', ratePercent: 19, taxCents: 1_900 }],
    ['FR', '75001', 10_000, { jurisdiction: 'FR', ratePercent: 20, taxCents: 2_000 }],
    ['GB', 'SW1A 1AA', 10_000, { jurisdiction: 'GB', ratePercent: 20, taxCents: 2_000 }],
    ['NL', '1012 AB', 10_000, { jurisdiction: 'NL', ratePercent: 21, taxCents: 2_100 }],
    ['CA', 'K1A 0B1', 10_000, { jurisdiction: 'CA', ratePercent: 5, taxCents: 500 }],
  ])(
    'when tax is asked for %s %s on %i cents, then %o',
    async (country, postalCode, amountCents, expected) => {
      expect(await taxOf(country, postalCode, amountCents)).toEqual(expected);
    },
  );

  it('when the tax is exactly half a cent, then it rounds up', async () => {
    // 7.25% of 200 cents is 14.5 cents.
    expect((await taxOf('US', '94105', 200)).taxCents).toBe(15);
  });

  it('when the tax is just under half a cent, then it rounds down', async () => {
    // 6.25% of 1 cent is 0.0625 cents; 19% of 2 cents is 0.38 cents.
    expect((await taxOf('US', '60601', 1)).taxCents).toBe(0);
    expect((await taxOf('DE', '10115', 2)).taxCents).toBe(0);
  });

  it('when the amount is zero, then the tax is zero', async () => {
    expect((await taxOf('DE', '10115', 0)).taxCents).toBe(0);
  });

  it('when country and postal code are in lower case, then they are understood', async () => {
    expect(await taxOf('nl', '1012ab', 10_000)).toMatchObject({ jurisdiction: 'NL', taxCents: 2_100 });
  });

  it('when the country is not one we tax, then 422 UNSUPPORTED_JURISDICTION', async () => {
    const res = await tax({ country: 'JP', postalCode: '100-0001', amountCents: 10_000 });
    expect(res.statusCode).toBe(422);
    expect(res.json<ErrorBody>().error).toMatchObject({
      code: 'UNSUPPORTED_JURISDICTION',
      details: { country: 'JP' },
    });
  });

  it.each([
    ['US', 'ABCDE'],
    ['US', '9410'],
    ['DE', '1011'],
    ['GB', '12345'],
    ['NL', '0123 AB'],
    ['CA', 'D1A 0B1'],
  ])('when the postal code of %s is %s, then 422 INVALID_POSTAL_CODE', async (country, postalCode) => {
    const res = await tax({ country, postalCode, amountCents: 10_000 });
    expect(res.statusCode).toBe(422);
    expect(res.json<ErrorBody>().error).toMatchObject({ code: 'INVALID_POSTAL_CODE', details: { country } });
  });

  it.each([
    ['no body', undefined],
    ['a three-letter country', { country: 'USA', postalCode: '94105', amountCents: 100 }],
    ['no postal code', { country: 'US', amountCents: 100 }],
    ['an empty postal code', { country: 'US', postalCode: ' ', amountCents: 100 }],
    ['a negative amount', { country: 'US', postalCode: '94105', amountCents: -1 }],
    ['a fractional amount', { country: 'US', postalCode: '94105', amountCents: 10.5 }],
    ['an amount as a string', { country: 'US', postalCode: '94105', amountCents: '100' }],
    ['a numeric postal code', { country: 'US', postalCode: 94105, amountCents: 100 }],
  ])('when tax is asked with %s, then 400 VALIDATION_FAILED', async (_what, payload) => {
    const res = await app.inject({
      method: 'POST',
      url: '/tax',
      ...(payload === undefined ? {} : { payload }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });

  it('when a rate is changed, then the next calculation uses it without a restart', async () => {
    const changed = await app.inject({ method: 'PUT', url: '/rates/us-ca', payload: { ratePercent: 8.5 } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<RateView>()).toEqual({
      jurisdiction: 'US-CA',
      name: 'California',
      ratePercent: 8.5,
      updatedAt: '2026-03-01T12:00:00.000Z',
    });
    expect(await taxOf('US', '94105', 10_000)).toEqual({
      jurisdiction: 'US-CA',
      ratePercent: 8.5,
      taxCents: 850,
    });
  });

  it('when the rates are listed, then every seeded jurisdiction is there', async () => {
    const rates = (await app.inject({ method: 'GET', url: '/rates' })).json<RateView[]>();
    expect(rates.map((r) => r.jurisdiction)).toEqual([
      'CA',
      'DE',
      'FR',
      'GB',
      'NL',
      'US',
      'US-CA',
      'US-IL',
      'US-NY',
      'US-OR',
      'US-TX',
      'US-WA',
    ]);
    expect((await app.inject({ method: 'GET', url: '/rates/DE' })).json<RateView>().ratePercent).toBe(19);
  });

  it('when an unknown jurisdiction is changed, then 404 JURISDICTION_NOT_FOUND', async () => {
    const res = await app.inject({ method: 'PUT', url: '/rates/US-ZZ', payload: { ratePercent: 5 } });
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorBody>().error.code).toBe('JURISDICTION_NOT_FOUND');
  });

  it.each([{ ratePercent: 101 }, { ratePercent: -1 }, { ratePercent: 7.255 }, { rate: 7 }])(
    'when a rate is set to %o, then 400 VALIDATION_FAILED',
    async (payload) => {
      const res = await app.inject({ method: 'PUT', url: '/rates/DE', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
    },
  );

  it('when the seed runs again, then it inserts nothing', () => {
    expect(seed(db)).toBe(0);
  });

  it('when the database is closed and reopened, then a changed rate survives', async () => {
    await app.inject({ method: 'PUT', url: '/rates/DE', payload: { ratePercent: 16 } });
    await close();

    open();
    expect(seed(db)).toBe(0);
    expect(await taxOf('DE', '10115', 10_000)).toEqual({
      jurisdiction: 'DE',
      ratePercent: 16,
      taxCents: 1_600,
    });
  });

  it('when faults are injected at rate 1, then /tax answers 503 INJECTED_FAULT and /healthz does not', async () => {
    expect(
      (await app.inject({ method: 'PUT', url: '/admin/faults', payload: { errorRate: 1 } })).statusCode,
    ).toBe(200);
    const res = await tax({ country: 'DE', postalCode: '10115', amountCents: 100 });
    expect(res.statusCode).toBe(503);
    expect(res.json<ErrorBody>().error.code).toBe('INJECTED_FAULT');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
