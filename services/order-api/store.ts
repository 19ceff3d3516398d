// The order store: order-api's system of record. order-api creates the row when it accepts an order;
// FinalizeOrder and the failure path write the outcome. Writes are upserts, so an outcome is never lost
// even if the row is missing. SQLite (node:sqlite) locally; the same schema runs on PostgreSQL.
import { openDatabase, transaction, type Database } from '../kit/db.ts';
import { PostgresOrderStore } from './postgres-store.ts';
import type {
  CompensationOutcome,
  OrderFailure,
  OrderRequest,
  OrderStatus,
  Payment,
  Pricing,
  Shipment,
} from '../../workflows/order/types.ts';

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

export interface OrderRecord {
  readonly orderId: string;
  readonly workflowId: string;
  readonly customerId: string;
  readonly idempotencyKey: string | null;
  readonly requestHash: string;
  readonly request: OrderRequest;
  readonly status: OrderStatus;
  readonly pricing: Pricing | null;
  readonly paymentIntentId: string | null;
  readonly trackingNumber: string | null;
  readonly carrier: string | null;
  readonly failure: OrderFailure | null;
  readonly compensations: readonly CompensationOutcome[];
  readonly traceId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** An `orders` row as SQLite returns it; the PostgreSQL store normalises its rows to this. */
export interface OrderRow {
  order_id: string;
  workflow_id: string;
  customer_id: string;
  idempotency_key: string | null;
  request_hash: string;
  request_json: string;
  status: string;
  currency: string | null;
  subtotal_cents: number | null;
  discount_cents: number | null;
  tax_cents: number | null;
  total_cents: number | null;
  payment_intent_id: string | null;
  tracking_number: string | null;
  carrier: string | null;
  failure_step: string | null;
  failure_type: string | null;
  failure_reason: string | null;
  compensations: string | null;
  trace_id: string | null;
  created_at: string;
  updated_at: string;
}

export function toRecord(row: OrderRow): OrderRecord {
  return {
    orderId: row.order_id,
    workflowId: row.workflow_id,
    customerId: row.customer_id,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    request: JSON.parse(row.request_json) as OrderRequest,
    status: row.status as OrderStatus,
    pricing:
      row.total_cents === null
        ? null
        : {
            currency: row.currency ?? 'usd',
            subtotalCents: row.subtotal_cents ?? 0,
            discountCents: row.discount_cents ?? 0,
            taxCents: row.tax_cents ?? 0,
            totalCents: row.total_cents,
            taxJurisdiction: '',
          },
    paymentIntentId: row.payment_intent_id,
    trackingNumber: row.tracking_number,
    carrier: row.carrier,
    failure: row.failure_type
      ? {
          step: row.failure_step as OrderFailure['step'],
          type: row.failure_type,
          message: row.failure_reason ?? '',
        }
      : null,
    compensations: row.compensations ? (JSON.parse(row.compensations) as CompensationOutcome[]) : [],
    traceId: row.trace_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewOrder {
  readonly orderId: string;
  readonly workflowId: string;
  readonly idempotencyKey: string | null;
  readonly requestHash: string;
  readonly request: OrderRequest;
  readonly traceId: string | null;
}

/** The order store's operations; SQLite here, PostgreSQL in deployments (same schema, same semantics). */
export interface OrderStore {
  get(orderId: string): Promise<OrderRecord | undefined>;
  /** Inserts the order unless it exists; returns the stored one either way. */
  create(order: NewOrder): Promise<{ readonly created: boolean; readonly order: OrderRecord }>;
  markCompleted(order: CompletedOrder): Promise<void>;
  markFailed(order: FailedOrder): Promise<void>;
  close(): Promise<void>;
}

export interface CompletedOrder {
  readonly orderId: string;
  readonly request: OrderRequest;
  readonly pricing: Pricing;
  readonly payment: Payment;
  readonly shipment: Shipment;
}

export interface FailedOrder {
  readonly orderId: string;
  readonly request: OrderRequest;
  readonly status: Extract<OrderStatus, 'failed' | 'compensation_failed'>;
  readonly failure: OrderFailure;
  readonly compensations: readonly CompensationOutcome[];
  readonly pricing?: Pricing;
}

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

/**
 * The store for a location: a `postgres://` or `postgresql://` URL means PostgreSQL (deployments; the schema
 * is migrated on the store's first operation, so this stays synchronous), anything else is a SQLite file path.
 */
export function openOrderStore(location: string): OrderStore {
  if (/^postgres(ql)?:\/\//.test(location)) return PostgresOrderStore.connect(location);
  return SqliteOrderStore.open(location);
}
