// The order store on PostgreSQL, for deployments: the same table and columns as the SQLite store
// (sqlite.ts), the same operations and the same semantics. create is insert-or-get; markCompleted and
// markFailed are upserts that recreate a missing row, in one transaction. Queries are parameterized only.
import pg from 'pg';
import type { OrderRequest } from '../contracts/order/types.ts';
import {
  toRecord,
  type CompletedOrder,
  type FailedOrder,
  type NewOrder,
  type OrderRecord,
  type OrderStore,
} from './store.ts';

/**
 * The SQLite DDL (ORDER_STORE_MIGRATIONS in sqlite.ts) with PostgreSQL's types: cents are BIGINT, timestamps
 * TIMESTAMPTZ (read back as the same ISO-8601 strings), JSON stays TEXT so it round-trips byte for byte.
 * Append only: version N is entry N-1, recorded in order_store_migrations.
 */
export const POSTGRES_ORDER_STORE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE orders (
     order_id          TEXT PRIMARY KEY,
     workflow_id       TEXT NOT NULL,
     customer_id       TEXT NOT NULL,
     idempotency_key   TEXT,
     request_hash      TEXT NOT NULL,
     request_json      TEXT NOT NULL,
     status            TEXT NOT NULL,
     currency          TEXT,
     subtotal_cents    BIGINT,
     discount_cents    BIGINT,
     tax_cents         BIGINT,
     total_cents       BIGINT,
     payment_intent_id TEXT,
     tracking_number   TEXT,
     carrier           TEXT,
     failure_step      TEXT,
     failure_type      TEXT,
     failure_reason    TEXT,
     compensations     TEXT,
     trace_id          TEXT,
     created_at        TIMESTAMPTZ NOT NULL,
     updated_at        TIMESTAMPTZ NOT NULL
   );
   CREATE INDEX orders_customer ON orders (customer_id, created_at);
   CREATE INDEX orders_status ON orders (status, updated_at);`,
];

/** Serializes concurrent migrations (order-api and order-worker start together): any fixed 64-bit key. */
const MIGRATION_LOCK_KEY = '4700470047004700';

interface Row {
  order_id: string;
  workflow_id: string;
  customer_id: string;
  idempotency_key: string | null;
  request_hash: string;
  request_json: string;
  status: string;
  currency: string | null;
  /** BIGINT: node-postgres returns int8 as a string (cents stay far below 2^53, so Number is exact). */
  subtotal_cents: string | null;
  discount_cents: string | null;
  tax_cents: string | null;
  total_cents: string | null;
  payment_intent_id: string | null;
  tracking_number: string | null;
  carrier: string | null;
  failure_step: string | null;
  failure_type: string | null;
  failure_reason: string | null;
  compensations: string | null;
  trace_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const cents = (value: string | null): number | null => (value === null ? null : Number(value));

/** The same record the SQLite store returns for the same row: normalise, then the shared mapping. */
function toRecordFromPg(row: Row): OrderRecord {
  return toRecord({
    ...row,
    subtotal_cents: cents(row.subtotal_cents),
    discount_cents: cents(row.discount_cents),
    tax_cents: cents(row.tax_cents),
    total_cents: cents(row.total_cents),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  });
}

type Queryable = Pick<pg.PoolClient, 'query'>;

export interface PostgresOrderStoreOptions {
  /** The clock for created_at/updated_at (tests pin it); the app's clock, as in the SQLite store. */
  readonly now?: () => Date;
  /** Pool size; small: order-api and each order-worker replica hold their own pool. */
  readonly max?: number;
}

/**
 * PostgreSQL (node-postgres pool): the deployment option, selected by a `postgres://` ORDERS_DB.
 * The schema is migrated on first use; `open` does that before returning, `connect` defers it to the first
 * operation (and retries it on the next one if the server was unreachable).
 */
export class PostgresOrderStore implements OrderStore {
  readonly #pool: pg.Pool;
  readonly #now: () => Date;
  #migrated: Promise<void> | undefined;

  constructor(pool: pg.Pool, now: () => Date = () => new Date()) {
    this.#pool = pool;
    this.#now = now;
  }

  /** A store whose schema is migrated on its first operation: no I/O until then. */
  static connect(url: string, options: PostgresOrderStoreOptions = {}): PostgresOrderStore {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 10_000,
      application_name: 'orderflow-order-store',
    });
    // An idle client losing its connection (server restart, failover) must not crash the process: the pool
    // drops that client and the next query opens a new connection.
    pool.on('error', (err) =>
      console.error(`order store: idle PostgreSQL connection failed: ${err.message}`),
    );
    return new PostgresOrderStore(pool, options.now);
  }

  /** Connects and migrates the schema before returning: fails here if the server is unreachable. */
  static async open(url: string, options: PostgresOrderStoreOptions = {}): Promise<PostgresOrderStore> {
    const store = PostgresOrderStore.connect(url, options);
    try {
      await store.migrate();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  /** Applies the missing migrations, once per store; a failed attempt is retried by the next call. */
  migrate(): Promise<void> {
    this.#migrated ??= this.#transaction((client) => applyMigrations(client)).catch((err: unknown) => {
      this.#migrated = undefined;
      throw err;
    });
    return this.#migrated;
  }

  close(): Promise<void> {
    return this.#pool.end();
  }

  async get(orderId: string): Promise<OrderRecord | undefined> {
    await this.migrate();
    return getOrder(this.#pool, orderId);
  }

  async listCreatedSince(since: string): Promise<OrderRecord[]> {
    await this.migrate();
    const { rows } = await this.#pool.query<Row>(
      'SELECT * FROM orders WHERE created_at >= $1 ORDER BY created_at, order_id',
      [new Date(since).toISOString()],
    );
    return rows.map(toRecordFromPg);
  }

  async listByIdempotencyKeyPrefix(prefix: string): Promise<OrderRecord[]> {
    if (prefix === '') return [];
    await this.migrate();
    const { rows } = await this.#pool.query<Row>(
      'SELECT * FROM orders WHERE substr(idempotency_key, 1, $1) = $2 ORDER BY created_at, order_id',
      [prefix.length, prefix],
    );
    return rows.map(toRecordFromPg);
  }

  async create(order: NewOrder): Promise<{ readonly created: boolean; readonly order: OrderRecord }> {
    await this.migrate();
    const at = this.#now().toISOString();
    const inserted = await this.#pool.query<Row>(
      `INSERT INTO orders (order_id, workflow_id, customer_id, idempotency_key, request_hash, request_json, status, trace_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'received', $7, $8, $8) ON CONFLICT (order_id) DO NOTHING RETURNING *`,
      [
        order.orderId,
        order.workflowId,
        order.request.customerId,
        order.idempotencyKey,
        order.requestHash,
        JSON.stringify(order.request),
        order.traceId,
        at,
      ],
    );
    const row = inserted.rows[0];
    if (row) return { created: true, order: toRecordFromPg(row) };
    // ON CONFLICT waited for a concurrent inserter to commit, so the row is visible to this next statement.
    const existing = await getOrder(this.#pool, order.orderId);
    if (!existing)
      throw new Error(`order store: order ${order.orderId} conflicted on insert but cannot be read`);
    return { created: false, order: existing };
  }

  async markCompleted(order: CompletedOrder): Promise<void> {
    await this.migrate();
    await this.#transaction(async (client) => {
      await this.#ensure(client, order.orderId, order.request);
      await client.query(
        `UPDATE orders SET status = 'completed', currency = $1, subtotal_cents = $2, discount_cents = $3, tax_cents = $4, total_cents = $5,
           payment_intent_id = $6, tracking_number = $7, carrier = $8, updated_at = $9 WHERE order_id = $10`,
        [
          order.pricing.currency,
          order.pricing.subtotalCents,
          order.pricing.discountCents,
          order.pricing.taxCents,
          order.pricing.totalCents,
          order.payment.paymentIntentId,
          order.shipment.trackingNumber,
          order.shipment.carrier,
          this.#now().toISOString(),
          order.orderId,
        ],
      );
    });
  }

  async markFailed(order: FailedOrder): Promise<void> {
    await this.migrate();
    await this.#transaction(async (client) => {
      await this.#ensure(client, order.orderId, order.request);
      await client.query(
        `UPDATE orders SET status = $1, failure_step = $2, failure_type = $3, failure_reason = $4, compensations = $5,
           currency = coalesce($6, currency), subtotal_cents = coalesce($7, subtotal_cents), discount_cents = coalesce($8, discount_cents),
           tax_cents = coalesce($9, tax_cents), total_cents = coalesce($10, total_cents), updated_at = $11 WHERE order_id = $12`,
        [
          order.status,
          order.failure.step,
          order.failure.type,
          order.failure.message,
          JSON.stringify(order.compensations),
          order.pricing?.currency ?? null,
          order.pricing?.subtotalCents ?? null,
          order.pricing?.discountCents ?? null,
          order.pricing?.taxCents ?? null,
          order.pricing?.totalCents ?? null,
          this.#now().toISOString(),
          order.orderId,
        ],
      );
    });
  }

  /** Recreates a row the API never wrote (it crashed after starting the workflow). */
  async #ensure(client: Queryable, orderId: string, request: OrderRequest): Promise<void> {
    const at = this.#now().toISOString();
    await client.query(
      `INSERT INTO orders (order_id, workflow_id, customer_id, request_hash, request_json, status, created_at, updated_at)
       VALUES ($1, $1, $2, '', $3, 'received', $4, $4) ON CONFLICT (order_id) DO NOTHING`,
      [orderId, request.customerId, JSON.stringify(request), at],
    );
  }

  /** Runs `fn` on one pooled connection between BEGIN and COMMIT: all of it or none of it. */
  async #transaction<T>(fn: (client: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        // The connection is unusable (e.g. it was cut): destroy it rather than return it to the pool.
        broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

async function getOrder(db: Queryable, orderId: string): Promise<OrderRecord | undefined> {
  const { rows } = await db.query<Row>('SELECT * FROM orders WHERE order_id = $1', [orderId]);
  return rows[0] ? toRecordFromPg(rows[0]) : undefined;
}

/** In the caller's transaction, under an advisory lock, so concurrent openers apply each version once. */
async function applyMigrations(client: Queryable): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
  await client.query(
    `CREATE TABLE IF NOT EXISTS order_store_migrations (
       version    INTEGER PRIMARY KEY,
       applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
     )`,
  );
  const { rows } = await client.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM order_store_migrations',
  );
  const current = rows[0]?.version ?? 0;
  if (current > POSTGRES_ORDER_STORE_MIGRATIONS.length) {
    throw new Error(
      `order store: the database is at schema version ${current}, newer than this build's ${POSTGRES_ORDER_STORE_MIGRATIONS.length}`,
    );
  }
  for (let v = current; v < POSTGRES_ORDER_STORE_MIGRATIONS.length; v++) {
    await client.query(POSTGRES_ORDER_STORE_MIGRATIONS[v]!);
    await client.query('INSERT INTO order_store_migrations (version) VALUES ($1)', [v + 1]);
  }
}
