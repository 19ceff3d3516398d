// order-shadow's record: every mirrored order, the effects the shadow side would have had (its "intents"),
// its outcome, the legacy outcome it was compared with, and the comparison. A SQLite file of its own.
import { openDatabase, transaction, type Database } from '../../platform/sqlite.ts';
import type { Comparison, FieldResult, PipelineOutcome } from './compare.ts';

const MIGRATIONS = [
  `CREATE TABLE shadow_orders (
     order_id TEXT PRIMARY KEY,
     request TEXT NOT NULL,
     mirrored_at TEXT NOT NULL,
     state TEXT NOT NULL,              -- running | compared | error
     shadow_outcome TEXT,              -- PipelineOutcome as JSON, written by FinalizeOrder / RecordOrderFailed
     legacy_outcome TEXT,
     comparison TEXT,
     result TEXT,                      -- match | mismatch | unverifiable
     error TEXT,
     compared_at TEXT
   );
   CREATE INDEX shadow_orders_result ON shadow_orders (result, compared_at);
   CREATE TABLE shadow_intents (
     order_id TEXT NOT NULL,
     effect TEXT NOT NULL,             -- reserve | charge | ship | finalize | release | refund | cancel_shipment | record_failed | review_feedback
     detail TEXT NOT NULL,
     at TEXT NOT NULL,
     PRIMARY KEY (order_id, effect)    -- a retried activity records its intent once
   );`,
];

export type ShadowOrderState = 'running' | 'compared' | 'error';

export interface ShadowOrderRow {
  readonly orderId: string;
  readonly request: unknown;
  readonly mirroredAt: string;
  readonly state: ShadowOrderState;
  readonly shadowOutcome: PipelineOutcome | null;
  readonly legacyOutcome: PipelineOutcome | null;
  readonly comparison: Comparison | null;
  readonly result: FieldResult | null;
  readonly error: string | null;
  readonly comparedAt: string | null;
}

export interface Intent {
  readonly effect: string;
  readonly detail: unknown;
  readonly at: string;
}

interface Raw {
  order_id: string;
  request: string;
  mirrored_at: string;
  state: ShadowOrderState;
  shadow_outcome: string | null;
  legacy_outcome: string | null;
  comparison: string | null;
  result: FieldResult | null;
  error: string | null;
  compared_at: string | null;
}

const json = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));
const row = (r: Raw): ShadowOrderRow => ({
  orderId: r.order_id,
  request: JSON.parse(r.request) as unknown,
  mirroredAt: r.mirrored_at,
  state: r.state,
  shadowOutcome: json(r.shadow_outcome),
  legacyOutcome: json(r.legacy_outcome),
  comparison: json(r.comparison),
  result: r.result,
  error: r.error,
  comparedAt: r.compared_at,
});

export function openShadowStore(file: string) {
  const db: Database = openDatabase(file, MIGRATIONS);
  const now = (): string => new Date().toISOString();
  return {
    /** A newly mirrored order; false when it was already mirrored (a retried submission). */
    add(orderId: string, request: unknown): boolean {
      const r = db
        .prepare(
          `INSERT INTO shadow_orders (order_id, request, mirrored_at, state) VALUES (?, ?, ?, 'running')
           ON CONFLICT (order_id) DO NOTHING`,
        )
        .run(orderId, JSON.stringify(request), now());
      return Number(r.changes) === 1;
    },
    recordIntent(orderId: string, effect: string, detail: unknown): void {
      db.prepare(
        `INSERT INTO shadow_intents (order_id, effect, detail, at) VALUES (?, ?, ?, ?)
         ON CONFLICT (order_id, effect) DO NOTHING`,
      ).run(orderId, effect, JSON.stringify(detail), now());
    },
    recordShadowOutcome(orderId: string, outcome: PipelineOutcome): void {
      db.prepare('UPDATE shadow_orders SET shadow_outcome = ? WHERE order_id = ?').run(
        JSON.stringify(outcome),
        orderId,
      );
    },
    recordComparison(orderId: string, legacy: PipelineOutcome, comparison: Comparison): void {
      transaction(db, () =>
        db
          .prepare(
            `UPDATE shadow_orders SET state = 'compared', legacy_outcome = ?, comparison = ?, result = ?,
             error = NULL, compared_at = ? WHERE order_id = ?`,
          )
          .run(JSON.stringify(legacy), JSON.stringify(comparison), comparison.result, now(), orderId),
      );
    },
    recordError(orderId: string, error: string): void {
      db.prepare(
        `UPDATE shadow_orders SET state = 'error', error = ?, compared_at = ? WHERE order_id = ?`,
      ).run(error, now(), orderId);
    },
    get(orderId: string): ShadowOrderRow | undefined {
      const r = db.prepare('SELECT * FROM shadow_orders WHERE order_id = ?').get(orderId) as Raw | undefined;
      return r ? row(r) : undefined;
    },
    intents(orderId: string): Intent[] {
      return (
        db
          .prepare('SELECT effect, detail, at FROM shadow_intents WHERE order_id = ? ORDER BY at, effect')
          .all(orderId) as { effect: string; detail: string; at: string }[]
      ).map((i) => ({ effect: i.effect, detail: JSON.parse(i.detail) as unknown, at: i.at }));
    },
    /** Orders still running in shadow (resumed after a restart). */
    running(): string[] {
      return (
        db.prepare(`SELECT order_id FROM shadow_orders WHERE state = 'running'`).all() as {
          order_id: string;
        }[]
      ).map((r) => r.order_id);
    },
    /** Every order mirrored since `since` (ISO time), oldest first. */
    since(since: string): ShadowOrderRow[] {
      return (
        db
          .prepare('SELECT * FROM shadow_orders WHERE mirrored_at >= ? ORDER BY mirrored_at, order_id')
          .all(since) as unknown as Raw[]
      ).map(row);
    },
    close(): void {
      db.close();
    },
  };
}

export type ShadowStore = ReturnType<typeof openShadowStore>;
