// The order store on embedded SQLite (node:sqlite): the local default, one file shared by order-api and
// order-worker (WAL).
import { openDatabase, transaction, type Database } from '../platform/sqlite.ts';
import type { OrderRequest } from '../contracts/order/types.ts';
import {
  toRecord,
  type CompletedOrder,
  type FailedOrder,
  type NewOrder,
  type OrderRecord,
  type OrderRow,
  type OrderStore,
} from './store.ts';

export const ORDER_STORE_MIGRATIONS = [
  `CREATE TABLE orders (
     order_id          TEXT PRIMARY KEY,
     workflow_id       TEXT NOT NULL,
     customer_id       TEXT NOT NULL,
     idempotency_key   TEXT,
     request_hash      TEXT NOT NULL,
     request_json      TEXT NOT NULL,
     status            TEXT NOT NULL,
     currency          TEXT,
     subtotal_cents    INTEGER,
     discount_cents    INTEGER,
     tax_cents         INTEGER,
     total_cents       INTEGER,
     payment_intent_id TEXT,
     tracking_number   TEXT,
     carrier           TEXT,
     failure_step      TEXT,
     failure_type      TEXT,
     failure_reason    TEXT,
     compensations     TEXT,
     trace_id          TEXT,
     created_at        TEXT NOT NULL,
     updated_at        TEXT NOT NULL
   );
   CREATE INDEX orders_customer ON orders (customer_id, created_at);
   CREATE INDEX orders_status ON orders (status, updated_at);`,
];

/** Embedded SQLite (node:sqlite): the local default; one file shared by order-api and order-worker (WAL). */
export class SqliteOrderStore implements OrderStore {
  readonly #db: Database;
  readonly #now: () => Date;

  constructor(db: Database, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  static open(file: string): SqliteOrderStore {
    return new SqliteOrderStore(openDatabase(file, ORDER_STORE_MIGRATIONS));
  }

  close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }

  get(orderId: string): Promise<OrderRecord | undefined> {
    return Promise.resolve(this.#get(orderId));
  }

  listCreatedSince(since: string): Promise<OrderRecord[]> {
    const rows = this.#db
      .prepare('SELECT * FROM orders WHERE created_at >= ? ORDER BY created_at, order_id')
      .all(new Date(since).toISOString()) as unknown as OrderRow[];
    return Promise.resolve(rows.map(toRecord));
  }

  listByIdempotencyKeyPrefix(prefix: string): Promise<OrderRecord[]> {
    if (prefix === '') return Promise.resolve([]);
    const rows = this.#db
      .prepare('SELECT * FROM orders WHERE substr(idempotency_key, 1, ?) = ? ORDER BY created_at, order_id')
      .all(prefix.length, prefix) as unknown as OrderRow[];
    return Promise.resolve(rows.map(toRecord));
  }

  #get(orderId: string): OrderRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM orders WHERE order_id = ?').get(orderId) as
      OrderRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  create(order: NewOrder): Promise<{ readonly created: boolean; readonly order: OrderRecord }> {
    const at = this.#now().toISOString();
    const result = this.#db
      .prepare(
        `INSERT INTO orders (order_id, workflow_id, customer_id, idempotency_key, request_hash, request_json, status, trace_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'received', ?, ?, ?) ON CONFLICT (order_id) DO NOTHING`,
      )
      .run(
        order.orderId,
        order.workflowId,
        order.request.customerId,
        order.idempotencyKey,
        order.requestHash,
        JSON.stringify(order.request),
        order.traceId,
        at,
        at,
      );
    return Promise.resolve({ created: result.changes === 1, order: this.#get(order.orderId)! });
  }

  markCompleted(order: CompletedOrder): Promise<void> {
    transaction(this.#db, () => {
      this.#ensure(order.orderId, order.request);
      this.#db
        .prepare(
          `UPDATE orders SET status = 'completed', currency = ?, subtotal_cents = ?, discount_cents = ?, tax_cents = ?, total_cents = ?,
             payment_intent_id = ?, tracking_number = ?, carrier = ?, updated_at = ? WHERE order_id = ?`,
        )
        .run(
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
        );
    });
    return Promise.resolve();
  }

  markFailed(order: FailedOrder): Promise<void> {
    transaction(this.#db, () => {
      this.#ensure(order.orderId, order.request);
      this.#db
        .prepare(
          `UPDATE orders SET status = ?, failure_step = ?, failure_type = ?, failure_reason = ?, compensations = ?,
             currency = coalesce(?, currency), subtotal_cents = coalesce(?, subtotal_cents), discount_cents = coalesce(?, discount_cents),
             tax_cents = coalesce(?, tax_cents), total_cents = coalesce(?, total_cents), updated_at = ? WHERE order_id = ?`,
        )
        .run(
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
        );
    });
    return Promise.resolve();
  }

  /** Recreates a row the API never wrote (it crashed after starting the workflow). */
  #ensure(orderId: string, request: OrderRequest): void {
    const at = this.#now().toISOString();
    this.#db
      .prepare(
        `INSERT INTO orders (order_id, workflow_id, customer_id, request_hash, request_json, status, created_at, updated_at)
         VALUES (?, ?, ?, '', ?, 'received', ?, ?) ON CONFLICT (order_id) DO NOTHING`,
      )
      .run(orderId, orderId, request.customerId, JSON.stringify(request), at, at);
  }
}
