// Idempotency by event id: the kit's own table in the consumer's database. The consumer's effect and
// the row here are written in one transaction, so an event is applied exactly once however often it is
// delivered (redelivery after a crash, a re-published duplicate, an offset reset, a replay).
import { transaction, type Database } from '../../platform/sqlite.ts';

/** Created beside the consumer's tables, outside its numbered migrations. */
const DDL = `CREATE TABLE IF NOT EXISTS kit_processed_events (
  event_id     TEXT PRIMARY KEY,
  event_type   TEXT NOT NULL,
  topic        TEXT NOT NULL,
  partition    INTEGER NOT NULL,
  "offset"     TEXT NOT NULL,
  processed_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS kit_processed_events_by_time ON kit_processed_events (processed_at);`;

export function ensureProcessedEventsTable(db: Database): void {
  db.exec(DDL);
}

export interface ProcessedMark {
  readonly eventId: string;
  readonly eventType: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly processedAt: string;
}

/**
 * Runs `effect` and records the event as processed, in one transaction; or does nothing when the event
 * was processed before. A throwing effect rolls everything back.
 */
export function applyOnce(db: Database, mark: ProcessedMark, effect: () => void): 'processed' | 'duplicate' {
  return transaction(db, () => {
    const seen = db.prepare('SELECT 1 FROM kit_processed_events WHERE event_id = ?').get(mark.eventId);
    if (seen) return 'duplicate';
    effect();
    db.prepare(
      'INSERT INTO kit_processed_events (event_id, event_type, topic, partition, "offset", processed_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(mark.eventId, mark.eventType, mark.topic, mark.partition, mark.offset, mark.processedAt);
    return 'processed';
  });
}

export function isProcessed(db: Database, eventId: string): boolean {
  return db.prepare('SELECT 1 FROM kit_processed_events WHERE event_id = ?').get(eventId) !== undefined;
}

/**
 * Forgets marks older than `olderThanMs`. Safe once no copy of the event can come back: keep it above
 * the topics' and dead-letter topics' retention (30 days); the kit uses 60 days.
 */
export function pruneProcessedEvents(db: Database, olderThanMs: number, now = Date.now()): number {
  const cutoff = new Date(now - olderThanMs).toISOString();
  return Number(db.prepare('DELETE FROM kit_processed_events WHERE processed_at < ?').run(cutoff).changes);
}
