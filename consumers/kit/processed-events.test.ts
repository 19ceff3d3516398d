import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/sqlite.ts';
import {
  applyOnce,
  ensureProcessedEventsTable,
  isProcessed,
  pruneProcessedEvents,
} from './processed-events.ts';

const mark = (eventId: string, processedAt = new Date().toISOString()) => ({
  eventId,
  eventType: 'OrderCompleted',
  topic: 't',
  partition: 0,
  offset: '7',
  processedAt,
});

function db() {
  const d = openDatabase(':memory:', ['CREATE TABLE effects (n INTEGER NOT NULL) STRICT;']);
  ensureProcessedEventsTable(d);
  return d;
}
const effects = (d: ReturnType<typeof db>) =>
  (d.prepare('SELECT COUNT(*) AS n FROM effects').get() as { n: number }).n;

describe('processed events', () => {
  it('when the same event is applied twice, then its effect happens once and the second call says duplicate', () => {
    const d = db();
    const effect = () => void d.prepare('INSERT INTO effects (n) VALUES (1)').run();
    expect(applyOnce(d, mark('e1'), effect)).toBe('processed');
    expect(applyOnce(d, mark('e1'), effect)).toBe('duplicate');
    expect(effects(d)).toBe(1);
    expect(isProcessed(d, 'e1')).toBe(true);
  });

  it('when the effect throws halfway, then neither its writes nor the processed mark remain', () => {
    const d = db();
    expect(() =>
      applyOnce(d, mark('e2'), () => {
        d.prepare('INSERT INTO effects (n) VALUES (1)').run();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(effects(d)).toBe(0);
    expect(isProcessed(d, 'e2')).toBe(false);
  });

  it('when marks are older than the retention, then pruning forgets only those', () => {
    const d = db();
    const now = Date.parse('2026-03-01T00:00:00Z');
    applyOnce(d, mark('old', new Date(now - 61 * 86_400_000).toISOString()), () => undefined);
    applyOnce(d, mark('new', new Date(now - 1 * 86_400_000).toISOString()), () => undefined);
    expect(pruneProcessedEvents(d, 60 * 86_400_000, now)).toBe(1);
    expect([isProcessed(d, 'old'), isProcessed(d, 'new')]).toEqual([false, true]);
  });
});
