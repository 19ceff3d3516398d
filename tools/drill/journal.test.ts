// The drill journal: written before each change, read back by the cleanup, trimmed to what failed to undo.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { journalOwnerAlive, openJournal } from './journal.ts';

const dir = mkdtempSync(join(tmpdir(), 'orderflow-drill-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('drill journal', () => {
  it('when a drill records changes, then they are read back in order, each once', () => {
    const journal = openJournal(join(dir, 'a', 'active.json'));
    expect(journal.read()).toBeUndefined();
    journal.begin('drill-1', 'OrderApiDown');
    journal.record({ kind: 'alertmanager-config' });
    journal.record({ kind: 'service-fault', service: 'pricing' });
    journal.record({ kind: 'service-fault', service: 'pricing' });
    expect(journal.read()).toMatchObject({
      runId: 'drill-1',
      alert: 'OrderApiDown',
      pid: process.pid,
      actions: [{ kind: 'alertmanager-config' }, { kind: 'service-fault', service: 'pricing' }],
    });
  });

  it('when some undos fail, then only those stay; when none is left, then the journal is gone', () => {
    const journal = openJournal(join(dir, 'b.json'));
    journal.begin('drill-2', 'KafkaConsumerLagHigh');
    journal.record({ kind: 'prometheus-rules' });
    journal.record({ kind: 'consumer-paused', consumer: 'analytics' });
    journal.keepOnly([{ kind: 'consumer-paused', consumer: 'analytics' }]);
    expect(journal.read()?.actions).toEqual([{ kind: 'consumer-paused', consumer: 'analytics' }]);
    journal.keepOnly([]);
    expect(journal.read()).toBeUndefined();
  });

  it('when the journal’s process is this one or gone, then it is a leftover; when it runs, then a drill is on', () => {
    const entry = { runId: 'r', alert: 'a', startedAt: '', actions: [] };
    expect(journalOwnerAlive({ ...entry, pid: process.pid })).toBe(false);
    expect(journalOwnerAlive({ ...entry, pid: 2 ** 22 + 1 })).toBe(false); // above Linux's pid_max
    expect(journalOwnerAlive({ ...entry, pid: process.ppid })).toBe(true);
  });
});
