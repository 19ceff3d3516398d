// The order store's contract, run unchanged against both implementations: SqliteOrderStore (a temporary
// file) and PostgresOrderStore (a real PostgreSQL server this file starts on a free port and stops).
// Without the PostgreSQL binaries every PostgreSQL test fails, naming how to install them: nothing is skipped.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openDatabase } from '../platform/sqlite.ts';
import { tempDir, type TempDir } from '../test/support/services.ts';
import type { CompensationOutcome, OrderRequest, Pricing } from '../contracts/order/types.ts';
import { PostgresOrderStore } from './postgres.ts';
import { startTestPostgres, type TestPostgres } from '../test/support/postgres.ts';
import {
  ORDER_STORE_MIGRATIONS,
  SqliteOrderStore,
  openOrderStore,
  type CompletedOrder,
  type FailedOrder,
  type NewOrder,
  type OrderStore,
} from './index.ts';

// ---- the server -------------------------------------------------------------------------------------

let server: TestPostgres | undefined;
let serverError: unknown;
let databases = 0;

beforeAll(async () => {
  try {
    server = await startTestPostgres();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    await client.end();
    console.info(
      `[store-contract] PostgreSQL ${rows[0]?.server_version} ready on port ${server.port} in ${server.startMs} ms (initdb + start)`,
    );
  } catch (err) {
    serverError = err; // every PostgreSQL test rethrows it: they fail, they are not skipped
  }
});

afterAll(async () => {
  await server?.stop();
});

function postgres(): TestPostgres {
  if (!server)
    throw serverError instanceof Error
      ? serverError
      : new Error(`PostgreSQL did not start: ${String(serverError)}`);
  return server;
}

// ---- the two implementations --------------------------------------------------------------------------

const opened: OrderStore[] = [];
const dirs: TempDir[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) dir.remove();
});

/** A fresh, empty database; `open` may be called more than once (order-api and order-worker share it). */
interface Location {
  open(now?: () => Date): Promise<OrderStore>;
}

interface Backend {
  readonly name: string;
  fresh(): Promise<Location>;
}

const sqlite: Backend = {
  name: 'SqliteOrderStore',
  fresh: () => {
    const dir = tempDir('order-store-contract');
    dirs.push(dir);
    const file = dir.file('orders.db');
    return Promise.resolve({
      open: (now) => {
        const store = new SqliteOrderStore(openDatabase(file, ORDER_STORE_MIGRATIONS), now);
        opened.push(store);
        return Promise.resolve(store);
      },
    });
  },
};

const postgresql: Backend = {
  name: 'PostgresOrderStore',
  fresh: async () => {
    const url = await postgres().createDatabase(`contract_${++databases}`);
    return {
      open: async (now) => {
        const store = await PostgresOrderStore.open(url, { now });
        opened.push(store);
        return store;
      },
    };
  },
};

// ---- data -------------------------------------------------------------------------------------------

const request: OrderRequest = {
  customerId: 'cust-alice',
  items: [
    { sku: 'sku-widget', quantity: 2 },
    { sku: 'sku-gadget', quantity: 1 },
  ],
  shippingAddress: { line1: '1 Main St', city: 'San Francisco', postalCode: '94105', country: 'US' },
  paymentMethod: 'pm_card_visa',
  couponCode: 'SAVE10',
};

const newOrder = (orderId: string, overrides: Partial<NewOrder> = {}): NewOrder => ({
  orderId,
  workflowId: orderId,
  idempotencyKey: `key-${orderId}`,
  requestHash: `hash-${orderId}`,
  request,
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  ...overrides,
});

const pricing: Pricing = {
  currency: 'usd',
  subtotalCents: 8997,
  discountCents: 900,
  taxCents: 587,
  totalCents: 8684,
  taxJurisdiction: 'US-CA',
};

const completed = (orderId: string, overrides: Partial<CompletedOrder> = {}): CompletedOrder => ({
  orderId,
  request,
  pricing,
  payment: {
    paymentIntentId: `pi_${orderId}`,
    chargeId: `ch_${orderId}`,
    amountCents: pricing.totalCents,
    currency: 'usd',
  },
  shipment: { shipmentId: `shp_${orderId}`, trackingNumber: `1Z${orderId.toUpperCase()}`, carrier: 'ups' },
  ...overrides,
});

const compensations: CompensationOutcome[] = [
  { step: 'CancelShipment', outcome: 'completed' },
  { step: 'RefundPayment', outcome: 'failed', detail: 'gateway 503 after 10 attempts' },
  { step: 'ReleaseInventoryReservation', outcome: 'completed', detail: 'res_1 released' },
];

const failed = (orderId: string, overrides: Partial<FailedOrder> = {}): FailedOrder => ({
  orderId,
  request,
  status: 'compensation_failed',
  failure: { step: 'CreateShipment', type: 'UndeliverableAddress', message: 'carrier rejected the address' },
  compensations,
  pricing,
  ...overrides,
});

/** A clock that ticks one second per reading, from a fixed instant: timestamps are predictable. */
function steppingClock(start = '2026-03-01T12:00:00.000Z'): () => Date {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// ---- the contract -----------------------------------------------------------------------------------

describe.each([sqlite, postgresql])('the order store contract: $name', (backend) => {
  const store = async (now?: () => Date) => (await backend.fresh()).open(now);

  it('when an order is created, then it is returned with created=true and get returns the same record', async () => {
    const s = await store(steppingClock());
    const { created, order } = await s.create(newOrder('ord_1'));
    expect(created).toBe(true);
    expect(order).toEqual({
      orderId: 'ord_1',
      workflowId: 'ord_1',
      customerId: 'cust-alice',
      idempotencyKey: 'key-ord_1',
      requestHash: 'hash-ord_1',
      request,
      status: 'received',
      pricing: null,
      paymentIntentId: null,
      trackingNumber: null,
      carrier: null,
      failure: null,
      compensations: [],
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      createdAt: '2026-03-01T12:00:01.000Z',
      updatedAt: '2026-03-01T12:00:01.000Z',
    });
    expect(await s.get('ord_1')).toEqual(order);
  });

  it('when an order does not exist, then get returns undefined', async () => {
    const s = await store();
    expect(await s.get('ord_missing')).toBeUndefined();
  });

  it('when the same order is created again, then created=false and the original is returned unchanged', async () => {
    const s = await store(steppingClock());
    const first = await s.create(newOrder('ord_dup'));
    const second = await s.create(
      newOrder('ord_dup', { requestHash: 'another-hash', idempotencyKey: 'another-key', traceId: null }),
    );
    expect(second.created).toBe(false);
    expect(second.order).toEqual(first.order);
    expect(await s.get('ord_dup')).toEqual(first.order);
  });

  it('when an order is completed, then totals, payment and tracking are filled and the acceptance fields kept', async () => {
    const s = await store(steppingClock());
    const { order: accepted } = await s.create(newOrder('ord_ok'));
    await s.markCompleted(completed('ord_ok'));
    const order = await s.get('ord_ok');
    expect(order).toEqual({
      ...accepted,
      status: 'completed',
      pricing: { ...pricing, taxJurisdiction: '' }, // the jurisdiction is not a column
      paymentIntentId: 'pi_ord_ok',
      trackingNumber: '1ZORD_OK',
      carrier: 'ups',
      updatedAt: '2026-03-01T12:00:03.000Z', // #ensure read the clock once, the update once more
    });
    expect(order?.createdAt).toBe(accepted.createdAt);
  });

  it('when an order is completed twice (a retried FinalizeOrder), then the second write is harmless', async () => {
    const s = await store();
    await s.create(newOrder('ord_twice'));
    await s.markCompleted(completed('ord_twice'));
    await s.markCompleted(completed('ord_twice'));
    const order = await s.get('ord_twice');
    expect(order?.status).toBe('completed');
    expect(order?.pricing?.totalCents).toBe(8684);
  });

  it('when an order fails with compensations, then status, failure, compensations and pricing are recorded', async () => {
    const s = await store(steppingClock());
    const { order: accepted } = await s.create(newOrder('ord_fail'));
    await s.markFailed(failed('ord_fail'));
    expect(await s.get('ord_fail')).toEqual({
      ...accepted,
      status: 'compensation_failed',
      pricing: { ...pricing, taxJurisdiction: '' },
      failure: {
        step: 'CreateShipment',
        type: 'UndeliverableAddress',
        message: 'carrier rejected the address',
      },
      compensations,
      updatedAt: '2026-03-01T12:00:03.000Z',
    });
  });

  it('when an order fails without pricing, then pricing stays as it was (null before pricing ran)', async () => {
    const s = await store();
    await s.create(newOrder('ord_declined'));
    await s.markFailed(
      failed('ord_declined', {
        status: 'failed',
        failure: { step: 'ValidateOrder', type: 'CustomerNotEligible', message: 'blocked' },
        compensations: [],
        pricing: undefined,
      }),
    );
    const order = await s.get('ord_declined');
    expect(order).toMatchObject({
      status: 'failed',
      pricing: null,
      compensations: [],
      failure: { type: 'CustomerNotEligible' },
    });
  });

  it('when an order is completed but its row is missing (the API crashed), then the row is recreated', async () => {
    const s = await store(steppingClock());
    await s.markCompleted(completed('ord_orphan'));
    expect(await s.get('ord_orphan')).toEqual({
      orderId: 'ord_orphan',
      workflowId: 'ord_orphan',
      customerId: 'cust-alice',
      idempotencyKey: null,
      requestHash: '',
      request,
      status: 'completed',
      pricing: { ...pricing, taxJurisdiction: '' },
      paymentIntentId: 'pi_ord_orphan',
      trackingNumber: '1ZORD_ORPHAN',
      carrier: 'ups',
      failure: null,
      compensations: [],
      traceId: null,
      createdAt: '2026-03-01T12:00:01.000Z',
      updatedAt: '2026-03-01T12:00:02.000Z',
    });
  });

  it('when an order fails but its row is missing, then the row is recreated with the failure', async () => {
    const s = await store();
    await s.markFailed(failed('ord_orphan_failed'));
    const order = await s.get('ord_orphan_failed');
    expect(order).toMatchObject({
      workflowId: 'ord_orphan_failed',
      requestHash: '',
      request,
      status: 'compensation_failed',
      compensations,
    });
    expect(order?.createdAt).toMatch(ISO);
  });

  it('when 10 creates of the same order race, then exactly one is created and all return the same order', async () => {
    const s = await store();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => s.create(newOrder('ord_race', { requestHash: `hash-${i}` }))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)!.order;
    for (const r of results) expect(r.order).toEqual(winner);
    expect(await s.get('ord_race')).toEqual(winner);
  });

  it("when order-api and order-worker hold their own store on the same database, then they see each other's writes", async () => {
    const location = await backend.fresh();
    const [api, worker] = [await location.open(), await location.open()];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? api : worker).create(newOrder('ord_shared'))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    await worker.markCompleted(completed('ord_shared'));
    expect((await api.get('ord_shared'))?.status).toBe('completed');
  });

  it('when amounts exceed 32 bits, then cents round-trip exactly as numbers', async () => {
    const s = await store();
    const big: Pricing = {
      ...pricing,
      subtotalCents: 9_007_199_254_740,
      discountCents: 0,
      taxCents: 3_000_000_001,
      totalCents: 9_010_199_254_741,
    };
    await s.markCompleted(completed('ord_big', { pricing: big }));
    expect((await s.get('ord_big'))?.pricing).toEqual({ ...big, taxJurisdiction: '' });
  });

  it('when orders are listed since a time, then exactly those accepted at or after it come back, oldest first', async () => {
    const s = await store(steppingClock('2026-03-01T12:00:00.000Z'));
    await s.create(newOrder('ord_old')); // 12:00:01
    await s.create(newOrder('ord_edge')); // 12:00:02
    await s.create(newOrder('ord_new')); // 12:00:03
    await s.markCompleted(completed('ord_new'));
    const listed = await s.listCreatedSince('2026-03-01T12:00:02.000Z');
    expect(listed.map((o) => o.orderId)).toEqual(['ord_edge', 'ord_new']);
    expect(listed[1]).toEqual(await s.get('ord_new'));
    expect(await s.listCreatedSince('2026-03-01T13:00:00.000Z')).toEqual([]);
    expect(await s.listCreatedSince('2026-03-01T12:00:02+00:00')).toHaveLength(2);
  });

  it('when orders are listed by an Idempotency-Key prefix, then exactly those whose key starts with it come back, oldest first', async () => {
    const s = await store(steppingClock());
    await s.create(newOrder('ord_b', { idempotencyKey: 'load-run_1.o.2' }));
    await s.create(newOrder('ord_a', { idempotencyKey: 'load-run_1.o.1' }));
    await s.create(newOrder('ord_c', { idempotencyKey: 'load-run_10.o.1' })); // another run, longer id
    await s.create(newOrder('ord_d', { idempotencyKey: 'LOAD-RUN_1.o.3' })); // case differs
    await s.create(newOrder('ord_e', { idempotencyKey: 'xload-run_1.o.4' })); // contains, not starts with
    await s.create(newOrder('ord_f', { idempotencyKey: 'load-run%1.o.5' })); // % is no wildcard
    await s.create(newOrder('ord_g', { idempotencyKey: null }));
    await s.markCompleted(completed('ord_a'));

    const listed = await s.listByIdempotencyKeyPrefix('load-run_1.');
    expect(listed.map((o) => o.orderId)).toEqual(['ord_b', 'ord_a']);
    expect(listed[1]).toEqual(await s.get('ord_a'));
    expect(listed[1]?.status).toBe('completed');
    expect((await s.listByIdempotencyKeyPrefix('load-run_1')).map((o) => o.orderId).sort()).toEqual([
      'ord_a',
      'ord_b',
      'ord_c',
    ]);
    expect(await s.listByIdempotencyKeyPrefix('load-run%')).toHaveLength(1);
    expect(await s.listByIdempotencyKeyPrefix('nothing-')).toEqual([]);
    expect(await s.listByIdempotencyKeyPrefix('')).toEqual([]);
  });

  it('when the store is reopened, then the data and the schema are still there (migrations run once)', async () => {
    const location = await backend.fresh();
    const first = await location.open();
    await first.create(newOrder('ord_persist'));
    await first.close();
    opened.splice(opened.indexOf(first), 1);
    const second = await location.open();
    expect((await second.get('ord_persist'))?.orderId).toBe('ord_persist');
  });
});

// ---- the two implementations agree ------------------------------------------------------------------

describe('SqliteOrderStore and PostgresOrderStore', () => {
  /** One saga's worth of writes, with the same clock: the records must be identical. */
  async function scenario(backend: Backend) {
    const s = await (await backend.fresh()).open(steppingClock());
    await s.create(newOrder('ord_a'));
    await s.create(newOrder('ord_a', { requestHash: 'other' }));
    await s.markCompleted(completed('ord_a'));
    await s.create(newOrder('ord_b', { idempotencyKey: null, traceId: null }));
    await s.markFailed(failed('ord_b', { pricing: undefined }));
    await s.markFailed(failed('ord_c', { status: 'failed', compensations: [] }));
    await s.markCompleted(completed('ord_d'));
    return Promise.all(['ord_a', 'ord_b', 'ord_c', 'ord_d', 'ord_none'].map((id) => s.get(id)));
  }

  it('when the same writes are made with the same clock, then both return identical records', async () => {
    const fromSqlite = await scenario(sqlite);
    const fromPostgres = await scenario(postgresql);
    expect(fromPostgres).toEqual(fromSqlite);
    expect(fromSqlite[4]).toBeUndefined();
    expect(fromSqlite.slice(0, 4).map((o) => o?.status)).toEqual([
      'completed',
      'compensation_failed',
      'failed',
      'completed',
    ]);
  });

  it('when both schemas are migrated, then they have the same table, columns (in order) and indexes', async () => {
    const dir = tempDir('order-store-schema');
    dirs.push(dir);
    const db = openDatabase(dir.file('orders.db'), ORDER_STORE_MIGRATIONS);
    const sqliteColumns = (
      db.prepare('PRAGMA table_info(orders)').all() as { name: string; notnull: number; pk: number }[]
    ).map((c) => ({ name: c.name, nullable: c.notnull === 0 && c.pk === 0 }));
    const sqliteIndexes = (
      db
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL ORDER BY name`,
        )
        .all() as { name: string }[]
    ).map((i) => i.name);
    db.close();

    const url = await postgres().createDatabase(`contract_${++databases}`);
    opened.push(await PostgresOrderStore.open(url));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const columns = await client.query<{ column_name: string; is_nullable: string; data_type: string }>(
        `SELECT column_name, is_nullable, data_type FROM information_schema.columns WHERE table_name = 'orders' ORDER BY ordinal_position`,
      );
      expect(columns.rows.map((c) => ({ name: c.column_name, nullable: c.is_nullable === 'YES' }))).toEqual(
        sqliteColumns,
      );
      expect(columns.rows.filter((c) => c.column_name.endsWith('_cents')).map((c) => c.data_type)).toEqual(
        Array(4).fill('bigint'),
      );
      const indexes = await client.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE tablename = 'orders' AND indexname <> 'orders_pkey' ORDER BY indexname`,
      );
      expect(indexes.rows.map((i) => i.indexname)).toEqual(sqliteIndexes);
    } finally {
      await client.end();
    }
  });
});

// ---- PostgreSQL specifics ---------------------------------------------------------------------------

describe('PostgresOrderStore', () => {
  it('when several processes open a new database at once, then the schema is migrated exactly once', async () => {
    const url = await postgres().createDatabase(`contract_${++databases}`);
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresOrderStore.open(url)));
    opened.push(...stores);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM order_store_migrations ORDER BY version',
      );
      expect(rows.map((r) => r.version)).toEqual([1]);
    } finally {
      await client.end();
    }
    await stores[0]!.create(newOrder('ord_after_migration'));
    expect((await stores[3]!.get('ord_after_migration'))?.status).toBe('received');
  });

  it('when openOrderStore is given a postgres:// URL, then it returns a PostgreSQL store that migrates on first use', async () => {
    const url = await postgres().createDatabase(`contract_${++databases}`);
    const store = openOrderStore(url);
    opened.push(store);
    expect(store).toBeInstanceOf(PostgresOrderStore);
    const { created } = await store.create(newOrder('ord_via_location'));
    expect(created).toBe(true);
    expect((await store.get('ord_via_location'))?.orderId).toBe('ord_via_location');
  });

  it('when openOrderStore is given a file path, then it returns the SQLite store', async () => {
    const dir = tempDir('order-store-location');
    dirs.push(dir);
    const store = openOrderStore(dir.file('orders.db'));
    opened.push(store);
    expect(store).toBeInstanceOf(SqliteOrderStore);
    expect((await store.create(newOrder('ord_file'))).created).toBe(true);
  });

  it('when the server is unreachable, then open fails fast', async () => {
    await expect(PostgresOrderStore.open('postgres://postgres@127.0.0.1:1/postgres')).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });

  it('when a lazily opened store cannot migrate at first, then its operations fail until they succeed (no cached failure)', async () => {
    const name = `contract_${++databases}`;
    const lazy = PostgresOrderStore.connect(`postgres://postgres@127.0.0.1:${postgres().port}/${name}`);
    opened.push(lazy);
    await expect(lazy.get('ord_x')).rejects.toThrow(/does not exist/);
    await postgres().createDatabase(name); // the database appears (e.g. the server came back)
    expect(await lazy.get('ord_x')).toBeUndefined();
    expect((await lazy.create(newOrder('ord_x'))).created).toBe(true);
  });
});
