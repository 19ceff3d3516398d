// audit-log-consumer: an append-only log of every order event, with where it was read from (topic,
// partition, offset) and the trace it belongs to. Triggers refuse UPDATE and DELETE. Subscribes to both.
import { z } from 'zod';
import { type OrderEvent } from '../../contracts/events/types.ts';
import { type Database } from '../../platform/sqlite.ts';
import { parse } from '../../platform/http.ts';
import { defineConsumer, type HandlerContext } from '../kit/definition.ts';

export const migrations: readonly string[] = [
  `CREATE TABLE audit_log (
     seq         INTEGER PRIMARY KEY AUTOINCREMENT,
     event_id    TEXT NOT NULL UNIQUE,
     event_type  TEXT NOT NULL,
     order_id    TEXT NOT NULL,
     customer_id TEXT NOT NULL,
     occurred_at TEXT NOT NULL,
     topic       TEXT NOT NULL,
     partition   INTEGER NOT NULL,
     "offset"    TEXT NOT NULL,
     trace_id    TEXT,
     recorded_at TEXT NOT NULL,
     payload     TEXT NOT NULL
   ) STRICT;
   CREATE INDEX audit_log_by_order ON audit_log (order_id, seq);
   CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
   CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`,
];

function append(event: OrderEvent, ctx: HandlerContext): void {
  ctx.db
    .prepare(
      `INSERT INTO audit_log (event_id, event_type, order_id, customer_id, occurred_at, topic, partition, "offset", trace_id, recorded_at, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      event.eventId,
      event.eventType,
      event.orderId,
      event.customerId,
      new Date(event.occurredAt).toISOString(),
      ctx.topic,
      ctx.partition,
      ctx.offset,
      ctx.traceId ?? null,
      ctx.now,
      JSON.stringify(event),
    );
}

export interface AuditEntry {
  readonly seq: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly occurredAt: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly traceId: string | null;
  readonly recordedAt: string;
  readonly event: OrderEvent;
}

interface Row {
  seq: number;
  event_id: string;
  event_type: string;
  order_id: string;
  customer_id: string;
  occurred_at: string;
  topic: string;
  partition: number;
  offset: string;
  trace_id: string | null;
  recorded_at: string;
  payload: string;
}

export function auditEntries(
  db: Database,
  filter: { orderId?: string; eventType?: string; limit?: number },
): AuditEntry[] {
  const where: string[] = [];
  const args: string[] = [];
  if (filter.orderId) {
    where.push('order_id = ?');
    args.push(filter.orderId);
  }
  if (filter.eventType) {
    where.push('event_type = ?');
    args.push(filter.eventType);
  }
  const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ${filter.limit ?? 100}`;
  return (db.prepare(sql).all(...args) as unknown as Row[]).map((r) => ({
    seq: r.seq,
    eventId: r.event_id,
    eventType: r.event_type,
    orderId: r.order_id,
    customerId: r.customer_id,
    occurredAt: r.occurred_at,
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    traceId: r.trace_id,
    recordedAt: r.recorded_at,
    event: JSON.parse(r.payload) as OrderEvent,
  }));
}

export const auditLogConsumer = defineConsumer({
  name: 'audit-log-consumer',
  migrations,
  handlers: { completed: append, failed: append },
  routes(app, db) {
    const query = z.object({
      orderId: z.string().min(1).optional(),
      eventType: z.enum(['OrderCompleted', 'OrderFailed']).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    });
    app.get('/audit', (req) => ({ entries: auditEntries(db, parse(query, req.query)) }));
  },
});
