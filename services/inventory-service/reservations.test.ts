import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FastifyInstance } from 'fastify';
import { type Database, openDatabase } from '../../platform/sqlite.ts';
import { buildApp } from './app.ts';
import { expireDueReservations, type ReservationView } from './reservations.ts';
import { seed } from './seed.ts';
import { type StockView } from './stock.ts';
import { inventoryStore, migrations } from './store.ts';
import { tempDir, type TempDir } from '../../test/support/services.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const start = new Date('2026-03-01T12:00:00.000Z');

describe('inventory-service reservations', () => {
  let dir: TempDir;
  let db: Database;
  let app: FastifyInstance;
  let clock: Date;

  const open = (lockDelayMs = 0): void => {
    db = openDatabase(dir.file('inventory-service.db'), migrations);
    app = buildApp({ db, now: () => clock, lockDelayMs, logLevel: 'silent' });
  };
  const close = async (): Promise<void> => {
    await app.close();
    db.close();
  };
  const advance = (seconds: number): void => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };

  beforeEach(() => {
    clock = start;
    dir = tempDir('inventory-reservations');
    open();
    seed(db);
  });
  afterEach(async () => {
    await close();
    dir.remove();
  });

  const reserve = (payload: unknown) =>
    app.inject({ method: 'POST', url: '/reservations', payload: payload as object });
  const post = (url: string) => app.inject({ method: 'POST', url });
  const get = (url: string) => app.inject({ method: 'GET', url });
  const stock = async (sku: string) => (await get(`/stock/${sku}`)).json<StockView>();
  const limitedOrder = (reservationId: string, quantity = 2) => ({
    reservationId,
    items: [{ sku: 'sku-limited', quantity }],
  });

  it('when stock is reserved, then the hold is 201 held for 15 minutes and the stock is no longer available', async () => {
    const res = await reserve({
      reservationId: 'r-1',
      items: [
        { sku: 'sku-limited', quantity: 2 },
        { sku: 'sku-widget', quantity: 5 },
      ],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<ReservationView>()).toEqual({
      reservationId: 'r-1',
      status: 'held',
      items: [
        { sku: 'sku-limited', quantity: 2 },
        { sku: 'sku-widget', quantity: 5 },
      ],
      createdAt: '2026-03-01T12:00:00.000Z',
      expiresAt: '2026-03-01T12:15:00.000Z',
    });
    expect(await stock('sku-limited')).toMatchObject({ onHand: 3, reserved: 2, available: 1 });
    expect((await get('/reservations/r-1')).json<ReservationView>().status).toBe('held');
  });

  it('when a ttl is given, then the hold expires after it', async () => {
    const res = await reserve({ ...limitedOrder('r-ttl'), ttlSeconds: 60 });
    expect(res.json<ReservationView>().expiresAt).toBe('2026-03-01T12:01:00.000Z');
  });

  it('when the same reservation is sent again, then the existing hold is returned with 200 and nothing more is reserved', async () => {
    const first = await reserve(limitedOrder('r-retry'));
    const again = await reserve(limitedOrder('r-retry'));
    expect(again.statusCode).toBe(200);
    expect(again.json<ReservationView>()).toEqual(first.json<ReservationView>());
    expect((await stock('sku-limited')).reserved).toBe(2);
  });

  it('when the same reservation id comes with different items, then 409 RESERVATION_CONFLICT', async () => {
    await reserve(limitedOrder('r-same-id'));
    const res = await reserve(limitedOrder('r-same-id', 1));
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.code).toBe('RESERVATION_CONFLICT');
    expect((await stock('sku-limited')).reserved).toBe(2);
  });

  it('when one line lacks stock, then 409 INSUFFICIENT_STOCK names it and no line is held', async () => {
    const res = await reserve({
      reservationId: 'r-short',
      items: [
        { sku: 'sku-widget', quantity: 1 },
        { sku: 'sku-limited', quantity: 4 },
      ],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      details: [{ sku: 'sku-limited', requested: 4, available: 3 }],
    });
    expect((await stock('sku-widget')).reserved).toBe(0);
    expect((await get('/reservations/r-short')).statusCode).toBe(404);
  });

  it('when a sold-out sku is reserved, then 409 INSUFFICIENT_STOCK with nothing available', async () => {
    const res = await reserve({ reservationId: 'r-soldout', items: [{ sku: 'sku-soldout', quantity: 1 }] });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.details).toEqual([{ sku: 'sku-soldout', requested: 1, available: 0 }]);
  });

  it('when an unknown sku is reserved, then 404 SKU_NOT_FOUND and nothing is held', async () => {
    const res = await reserve({
      reservationId: 'r-ghost',
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
    expect((await stock('sku-widget')).reserved).toBe(0);
  });

  it('when two orders race for the last units, then exactly one gets them', async () => {
    const results = await Promise.all([reserve(limitedOrder('r-race-a')), reserve(limitedOrder('r-race-b'))]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await stock('sku-limited')).toMatchObject({ reserved: 2, available: 1 });
  });

  it('when a hold is released, then its stock is available again, and releasing again is 200 released', async () => {
    await reserve(limitedOrder('r-release'));
    const released = await post('/reservations/r-release/release');
    expect(released.statusCode).toBe(200);
    expect(released.json<ReservationView>()).toMatchObject({
      reservationId: 'r-release',
      status: 'released',
    });
    expect((await stock('sku-limited')).available).toBe(3);

    const again = await post('/reservations/r-release/release');
    expect(again.statusCode).toBe(200);
    expect(again.json<ReservationView>().status).toBe('released');
    expect((await stock('sku-limited')).available).toBe(3);
  });

  it('when a hold is committed, then the stock leaves on hand for good, and committing again changes nothing', async () => {
    await reserve(limitedOrder('r-commit'));
    const committed = await post('/reservations/r-commit/commit');
    expect(committed.statusCode).toBe(200);
    expect(committed.json<ReservationView>().status).toBe('committed');
    expect(await stock('sku-limited')).toEqual({
      sku: 'sku-limited',
      name: 'Limited edition print',
      onHand: 1,
      reserved: 0,
      available: 1,
    });

    const again = await post('/reservations/r-commit/commit');
    expect(again.statusCode).toBe(200);
    expect(again.json<ReservationView>().status).toBe('committed');
    expect((await stock('sku-limited')).onHand).toBe(1);

    // Committed stock stays gone even after the hold's TTL would have run out.
    advance(3600);
    expect((await get('/reservations/r-commit')).json<ReservationView>().status).toBe('committed');
    expect((await stock('sku-limited')).onHand).toBe(1);
  });

  it('when a released hold is committed, then 409 RESERVATION_NOT_HELD', async () => {
    await reserve(limitedOrder('r-late'));
    await post('/reservations/r-late/release');
    const res = await post('/reservations/r-late/commit');
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error).toMatchObject({
      code: 'RESERVATION_NOT_HELD',
      details: { status: 'released' },
    });
  });

  it('when a committed hold is released, then 409 RESERVATION_COMMITTED and the stock stays sold', async () => {
    await reserve(limitedOrder('r-sold'));
    await post('/reservations/r-sold/commit');
    const res = await post('/reservations/r-sold/release');
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.code).toBe('RESERVATION_COMMITTED');
    expect((await stock('sku-limited')).onHand).toBe(1);
  });

  it.each(['/reservations/r-none/release', '/reservations/r-none/commit'])(
    'when an unknown reservation is posted to %s, then 404 RESERVATION_NOT_FOUND',
    async (url) => {
      const res = await post(url);
      expect(res.statusCode).toBe(404);
      expect(res.json<ErrorBody>().error.code).toBe('RESERVATION_NOT_FOUND');
    },
  );

  it('when an unknown reservation is read, then 404 RESERVATION_NOT_FOUND', async () => {
    const res = await get('/reservations/r-none');
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorBody>().error.code).toBe('RESERVATION_NOT_FOUND');
  });

  it('when the ttl has not yet passed, then the hold is still held', async () => {
    await reserve(limitedOrder('r-early'));
    advance(15 * 60 - 1);
    expect((await get('/reservations/r-early')).json<ReservationView>().status).toBe('held');
    expect((await stock('sku-limited')).available).toBe(1);
  });

  it('when the ttl passes, then the hold is expired, its stock is available again and it cannot be committed', async () => {
    await reserve(limitedOrder('r-expire'));
    advance(15 * 60);
    expect((await get('/reservations/r-expire')).json<ReservationView>().status).toBe('expired');
    expect(await stock('sku-limited')).toMatchObject({ reserved: 0, available: 3 });
    // The freed stock can be reserved by someone else.
    expect(
      (await reserve({ reservationId: 'r-next', items: [{ sku: 'sku-limited', quantity: 3 }] })).statusCode,
    ).toBe(201);

    const commit = await post('/reservations/r-expire/commit');
    expect(commit.statusCode).toBe(409);
    expect(commit.json<ErrorBody>().error).toMatchObject({
      code: 'RESERVATION_NOT_HELD',
      details: { status: 'expired' },
    });

    const release = await post('/reservations/r-expire/release');
    expect(release.statusCode).toBe(200);
    expect(release.json<ReservationView>().status).toBe('expired');
  });

  it('when an expired reservation is sent again, then it is returned as expired and not held again', async () => {
    await reserve(limitedOrder('r-replay'));
    advance(16 * 60);
    const again = await reserve(limitedOrder('r-replay'));
    expect(again.statusCode).toBe(200);
    expect(again.json<ReservationView>().status).toBe('expired');
    expect((await stock('sku-limited')).reserved).toBe(0);
  });

  it('when the sweep runs after the ttl, then expired holds are written down as expired', async () => {
    await reserve(limitedOrder('r-sweep-due'));
    advance(10 * 60);
    await reserve({ reservationId: 'r-sweep-live', items: [{ sku: 'sku-widget', quantity: 1 }] });
    advance(5 * 60);

    const store = inventoryStore(db);
    expect(expireDueReservations(db, store, clock)).toBe(1);
    expect(store.reservation('r-sweep-due')?.status).toBe('expired');
    expect(store.reservation('r-sweep-live')?.status).toBe('held');
    expect(expireDueReservations(db, store, clock)).toBe(0);
  });

  it('when the database is closed and reopened, then holds and committed stock survive', async () => {
    await reserve(limitedOrder('r-durable'));
    await reserve({ reservationId: 'r-durable-sold', items: [{ sku: 'sku-gizmo', quantity: 20 }] });
    await post('/reservations/r-durable-sold/commit');
    await close();

    open();
    expect(seed(db)).toBe(0);
    expect((await get('/reservations/r-durable')).json<ReservationView>()).toMatchObject({
      status: 'held',
      expiresAt: '2026-03-01T12:15:00.000Z',
    });
    expect(await stock('sku-limited')).toMatchObject({ reserved: 2, available: 1 });
    expect((await stock('sku-gizmo')).onHand).toBe(180);
    // Idempotency holds across the restart too.
    expect((await reserve(limitedOrder('r-durable'))).statusCode).toBe(200);
    expect((await stock('sku-limited')).reserved).toBe(2);
  });

  it('when the lock delay is set, then reservation writes queue behind each other but reads do not wait', async () => {
    await close();
    open(150);
    const finished: string[] = [];
    const track = async (what: string, request: Promise<{ statusCode: number }>) => {
      const res = await request;
      finished.push(what);
      return res.statusCode;
    };
    const began = Date.now();
    const statuses = await Promise.all([
      track('write a', reserve(limitedOrder('r-slow-a', 1))),
      track('write b', reserve(limitedOrder('r-slow-b', 1))),
      track('read', get('/stock/sku-limited')),
    ]);
    const elapsed = Date.now() - began;

    expect(statuses).toEqual([201, 201, 200]);
    expect(finished).toEqual(['read', 'write a', 'write b']);
    // Two writes, one after the other, each holding the lock 150 ms (timers may fire a millisecond early).
    expect(elapsed).toBeGreaterThanOrEqual(295);
  });

  it.each([
    ['no reservation id', { items: [{ sku: 'sku-widget', quantity: 1 }] }],
    ['a reservation id with a slash', { reservationId: 'a/b', items: [{ sku: 'sku-widget', quantity: 1 }] }],
    [
      'a reservation id too long for a url',
      { reservationId: 'r'.repeat(101), items: [{ sku: 'sku-widget', quantity: 1 }] },
    ],
    ['no items', { reservationId: 'r-bad', items: [] }],
    ['a negative quantity', { reservationId: 'r-bad', items: [{ sku: 'sku-widget', quantity: -1 }] }],
    ['a zero ttl', { reservationId: 'r-bad', items: [{ sku: 'sku-widget', quantity: 1 }], ttlSeconds: 0 }],
    [
      'a ttl as a string',
      { reservationId: 'r-bad', items: [{ sku: 'sku-widget', quantity: 1 }], ttlSeconds: '60' },
    ],
  ])('when a reservation is made with %s, then 400 VALIDATION_FAILED', async (_what, payload) => {
    const res = await reserve(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });

  it('when a reservation id in the path is malformed, then 400 VALIDATION_FAILED', async () => {
    const res = await post('/reservations/bad%20id/release');
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });
});
