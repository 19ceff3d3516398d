// The order store: order-api's system of record. order-api creates the row when it accepts an order;
// FinalizeOrder and the failure path (order-worker) write the outcome. Writes are upserts, so an outcome is
// never lost even if the row is missing. This file is the contract both backends keep: the record, the
// operations, and the row mapping they share. Backends: sqlite.ts (local default), postgres.ts; open.ts
// picks one for a location.
import type {
  CompensationOutcome,
  OrderFailure,
  OrderRequest,
  OrderStatus,
  Payment,
  Pricing,
  Shipment,
} from '../contracts/order/types.ts';

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
  /**
   * Read-only: the orders whose Idempotency-Key starts with `prefix` (exact, case-sensitive; no wildcards),
   * oldest first. What the load tool reconciles a run from (its keys start with the run id), without asking
   * Temporal about each workflow. A scan: for tools, not for the request path.
   */
  listByIdempotencyKeyPrefix(prefix: string): Promise<OrderRecord[]>;
  /**
   * Read-only: the orders accepted at or after `since` (ISO-8601), oldest first. What `npm run reconcile
   * -- --since 1h` checks. A scan of the window: for tools, not for the request path.
   */
  listCreatedSince(since: string): Promise<OrderRecord[]>;
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
