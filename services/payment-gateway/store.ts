// The gateway's state in SQLite: payment methods, payment intents, charges, refunds and idempotency keys.
// Money is integer minor units throughout, with CHECK constraints as the last line against a bug that would
// refund more than was captured. `seq` orders lists (newest first) and backs cursor pagination.
import { type Database } from '../../platform/sqlite.ts';
import { type Metadata } from './params.ts';

export const migrations: readonly string[] = [
  `
  CREATE TABLE payment_methods (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    token TEXT NOT NULL,
    created INTEGER NOT NULL
  );
  CREATE TABLE payment_intents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    amount INTEGER NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    capture_method TEXT NOT NULL,
    payment_method TEXT REFERENCES payment_methods(id),
    amount_capturable INTEGER NOT NULL DEFAULT 0 CHECK (amount_capturable BETWEEN 0 AND amount),
    amount_received INTEGER NOT NULL DEFAULT 0 CHECK (amount_received BETWEEN 0 AND amount),
    latest_charge TEXT,
    description TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    last_payment_error TEXT,
    cancellation_reason TEXT,
    canceled_at INTEGER,
    automatic_payment_methods TEXT,
    payment_method_types TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    created INTEGER NOT NULL
  );
  CREATE TABLE charges (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    payment_intent TEXT NOT NULL REFERENCES payment_intents(id),
    payment_method TEXT NOT NULL REFERENCES payment_methods(id),
    amount INTEGER NOT NULL CHECK (amount > 0),
    amount_captured INTEGER NOT NULL DEFAULT 0 CHECK (amount_captured BETWEEN 0 AND amount),
    amount_refunded INTEGER NOT NULL DEFAULT 0 CHECK (amount_refunded BETWEEN 0 AND amount),
    captured INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
    currency TEXT NOT NULL,
    failure_code TEXT,
    failure_message TEXT,
    decline_code TEXT,
    created INTEGER NOT NULL
  );
  CREATE INDEX charges_payment_intent ON charges(payment_intent);
  CREATE TABLE refunds (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    amount INTEGER NOT NULL CHECK (amount > 0),
    charge TEXT NOT NULL REFERENCES charges(id),
    payment_intent TEXT NOT NULL REFERENCES payment_intents(id),
    currency TEXT NOT NULL,
    reason TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL,
    created INTEGER NOT NULL
  );
  CREATE INDEX refunds_payment_intent ON refunds(payment_intent, seq);
  CREATE INDEX refunds_charge ON refunds(charge, seq);
  -- One row per (API key, Idempotency-Key): NULL status while the first request is in flight.
  CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    owner TEXT NOT NULL,
    request_id TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
  );
  CREATE INDEX idempotency_keys_created ON idempotency_keys(created_ms);
  `,
];

export type PaymentIntentStatus =
  'requires_payment_method' | 'requires_confirmation' | 'requires_capture' | 'succeeded' | 'canceled';
export type CaptureMethod = 'automatic' | 'automatic_async' | 'manual';

export interface PaymentMethodRow {
  readonly id: string;
  readonly token: string;
  readonly created: number;
}

export interface PaymentIntentRow {
  id: string;
  amount: number;
  currency: string;
  status: PaymentIntentStatus;
  capture_method: CaptureMethod;
  payment_method: string | null;
  amount_capturable: number;
  amount_received: number;
  latest_charge: string | null;
  description: string | null;
  metadata: Metadata;
  last_payment_error: Record<string, unknown> | null;
  cancellation_reason: string | null;
  canceled_at: number | null;
  automatic_payment_methods: { enabled: boolean; allow_redirects?: 'always' | 'never' } | null;
  payment_method_types: string[];
  client_secret: string;
  created: number;
}

export interface ChargeRow {
  id: string;
  payment_intent: string;
  payment_method: string;
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  status: 'succeeded' | 'failed';
  currency: string;
  failure_code: string | null;
  failure_message: string | null;
  decline_code: string | null;
  created: number;
}

export interface RefundRow {
  readonly id: string;
  readonly amount: number;
  readonly charge: string;
  readonly payment_intent: string;
  readonly currency: string;
  readonly reason: string | null;
  readonly metadata: Metadata;
  readonly status: 'succeeded';
  readonly created: number;
}

export interface Page<T> {
  readonly data: T[];
  readonly hasMore: boolean;
}

export interface PageQuery {
  readonly limit: number;
  readonly startingAfter?: string | undefined;
  readonly endingBefore?: string | undefined;
}

type Raw = Record<string, unknown>;
type SqlValue = string | number | null;

const JSON_COLUMNS = [
  'metadata',
  'last_payment_error',
  'automatic_payment_methods',
  'payment_method_types',
] as const;

function fromRaw<T>(raw: object | undefined, booleans: readonly string[] = []): T | undefined {
  if (raw === undefined) return undefined;
  const row: Raw = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'seq') continue;
    if ((JSON_COLUMNS as readonly string[]).includes(k))
      row[k] = typeof v === 'string' ? (JSON.parse(v) as unknown) : null;
    else if (booleans.includes(k)) row[k] = v === 1;
    else row[k] = v;
  }
  return row as T;
}

function toSql(row: object): Record<string, SqlValue> {
  const out: Record<string, SqlValue> = {};
  for (const [k, v] of Object.entries(row)) {
    if ((JSON_COLUMNS as readonly string[]).includes(k)) out[k] = v === null ? null : JSON.stringify(v);
    else if (typeof v === 'boolean') out[k] = v ? 1 : 0;
    else out[k] = v as SqlValue;
  }
  return out;
}

const insertSql = (table: string, columns: readonly string[]): string =>
  `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `:${c}`).join(', ')})`;
const updateSql = (table: string, columns: readonly string[]): string =>
  `UPDATE ${table} SET ${columns
    .filter((c) => c !== 'id')
    .map((c) => `${c} = :${c}`)
    .join(', ')} WHERE id = :id`;

const PI_COLUMNS = [
  'id',
  'amount',
  'currency',
  'status',
  'capture_method',
  'payment_method',
  'amount_capturable',
  'amount_received',
  'latest_charge',
  'description',
  'metadata',
  'last_payment_error',
  'cancellation_reason',
  'canceled_at',
  'automatic_payment_methods',
  'payment_method_types',
  'client_secret',
  'created',
] as const satisfies readonly (keyof PaymentIntentRow)[];
const CHARGE_COLUMNS = [
  'id',
  'payment_intent',
  'payment_method',
  'amount',
  'amount_captured',
  'amount_refunded',
  'captured',
  'status',
  'currency',
  'failure_code',
  'failure_message',
  'decline_code',
  'created',
] as const satisfies readonly (keyof ChargeRow)[];
const REFUND_COLUMNS = [
  'id',
  'amount',
  'charge',
  'payment_intent',
  'currency',
  'reason',
  'metadata',
  'status',
  'created',
] as const satisfies readonly (keyof RefundRow)[];

export type Store = ReturnType<typeof createStore>;

export function createStore(db: Database) {
  const pick = (row: object, columns: readonly string[]): Record<string, SqlValue> => {
    const sql = toSql(row);
    return Object.fromEntries(columns.map((c) => [c, sql[c] ?? null]));
  };

  /** Newest first; `starting_after`/`ending_before` are ids of rows in the same (filtered) list. */
  function page<T>(
    table: string,
    query: PageQuery,
    filter: { column: string; value: string } | undefined,
    map: (raw: Raw) => T,
  ): Page<T> | 'cursor_missing' {
    const where: string[] = [];
    const args: SqlValue[] = [];
    if (filter) {
      where.push(`${filter.column} = ?`);
      args.push(filter.value);
    }
    const cursorId = query.startingAfter ?? query.endingBefore;
    if (cursorId !== undefined) {
      const cursor = db.prepare(`SELECT seq FROM ${table} WHERE id = ?`).get(cursorId) as
        { seq: number } | undefined;
      if (!cursor) return 'cursor_missing';
      where.push(query.startingAfter !== undefined ? 'seq < ?' : 'seq > ?');
      args.push(cursor.seq);
    }
    const order = query.endingBefore !== undefined ? 'ASC' : 'DESC';
    const sql = `SELECT * FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${order} LIMIT ?`;
    const rows = db.prepare(sql).all(...args, query.limit + 1) as Raw[];
    const hasMore = rows.length > query.limit;
    const data = rows.slice(0, query.limit).map(map);
    if (order === 'ASC') data.reverse();
    return { data, hasMore };
  }

  const statements = {
    insertPm: db.prepare(insertSql('payment_methods', ['id', 'token', 'created'])),
    getPm: db.prepare('SELECT id, token, created FROM payment_methods WHERE id = ?'),
    insertPi: db.prepare(insertSql('payment_intents', PI_COLUMNS)),
    updatePi: db.prepare(updateSql('payment_intents', PI_COLUMNS)),
    getPi: db.prepare('SELECT * FROM payment_intents WHERE id = ?'),
    insertCharge: db.prepare(insertSql('charges', CHARGE_COLUMNS)),
    updateCharge: db.prepare(updateSql('charges', CHARGE_COLUMNS)),
    getCharge: db.prepare('SELECT * FROM charges WHERE id = ?'),
    insertRefund: db.prepare(insertSql('refunds', REFUND_COLUMNS)),
    getRefund: db.prepare('SELECT * FROM refunds WHERE id = ?'),
  };

  return {
    insertPaymentMethod: (pm: PaymentMethodRow): void =>
      void statements.insertPm.run(pick(pm, ['id', 'token', 'created'])),
    getPaymentMethod: (id: string): PaymentMethodRow | undefined =>
      statements.getPm.get(id) as PaymentMethodRow | undefined,

    insertPaymentIntent: (pi: PaymentIntentRow): void => void statements.insertPi.run(pick(pi, PI_COLUMNS)),
    updatePaymentIntent: (pi: PaymentIntentRow): void => void statements.updatePi.run(pick(pi, PI_COLUMNS)),
    getPaymentIntent: (id: string): PaymentIntentRow | undefined =>
      fromRaw<PaymentIntentRow>(statements.getPi.get(id)),
    listPaymentIntents: (query: PageQuery) =>
      page('payment_intents', query, undefined, (r) => fromRaw<PaymentIntentRow>(r)!),

    insertCharge: (charge: ChargeRow): void => void statements.insertCharge.run(pick(charge, CHARGE_COLUMNS)),
    updateCharge: (charge: ChargeRow): void => void statements.updateCharge.run(pick(charge, CHARGE_COLUMNS)),
    getCharge: (id: string): ChargeRow | undefined =>
      fromRaw<ChargeRow>(statements.getCharge.get(id), ['captured']),

    insertRefund: (refund: RefundRow): void => void statements.insertRefund.run(pick(refund, REFUND_COLUMNS)),
    getRefund: (id: string): RefundRow | undefined => fromRaw<RefundRow>(statements.getRefund.get(id)),
    listRefunds: (query: PageQuery, filter?: { column: 'payment_intent' | 'charge'; value: string }) =>
      page('refunds', query, filter, (r) => fromRaw<RefundRow>(r)!),
  };
}
