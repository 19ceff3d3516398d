// A write-ahead record of what a drill changed on the shared stack, in the state dir. Each change is written
// here *before* it is made, so a drill that dies (SIGKILL, a crash, a closed terminal) leaves behind exactly
// the list of things to undo: `npm run drill -- --cleanup`, or simply the next drill, reads it and undoes them.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stateDir } from '../../platform/paths.ts';
import { type ConsumerKey } from '../../consumers/registry.ts';
import { type DownstreamName } from '../../platform/downstream.ts';

/** One change to undo. */
export type DrillAction =
  | { readonly kind: 'prometheus-rules' }
  | { readonly kind: 'alertmanager-config' }
  | { readonly kind: 'service-fault'; readonly service: DownstreamName }
  | { readonly kind: 'toxic'; readonly proxy: string; readonly toxic: string }
  | { readonly kind: 'consumer-paused'; readonly consumer: ConsumerKey };

export interface JournalEntry {
  readonly runId: string;
  readonly alert: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly actions: readonly DrillAction[];
}

export const drillStateDir = join(stateDir, 'drill');
export const defaultJournalPath = join(drillStateDir, 'active.json');

export interface Journal {
  readonly path: string;
  read(): JournalEntry | undefined;
  begin(runId: string, alert: string): void;
  record(action: DrillAction): void;
  /** Leaves only the actions that could not be undone (all of them gone: the file is removed). */
  keepOnly(actions: readonly DrillAction[]): void;
}

export function openJournal(path = defaultJournalPath): Journal {
  const write = (entry: JournalEntry): void => {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(entry, null, 2)}\n`);
    renameSync(tmp, path); // atomic: a reader never sees half a journal
  };
  const read = (): JournalEntry | undefined =>
    existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as JournalEntry) : undefined;
  return {
    path,
    read,
    begin(runId, alert) {
      write({ runId, alert, pid: process.pid, startedAt: new Date().toISOString(), actions: [] });
    },
    record(action) {
      const entry = read();
      if (!entry) throw new Error(`drill journal ${path} vanished mid-drill`);
      const known = entry.actions.some((a) => JSON.stringify(a) === JSON.stringify(action));
      if (!known) write({ ...entry, actions: [...entry.actions, action] });
    },
    keepOnly(actions) {
      const entry = read();
      if (!entry) return;
      if (actions.length === 0) rmSync(path, { force: true });
      else write({ ...entry, actions });
    },
  };
}

/**
 * True while another process that wrote the journal still runs: then a drill is in progress, not a leftover.
 * (A journal of this very process is a leftover of an earlier drill in it, e.g. in a test run.)
 */
export function journalOwnerAlive(entry: JournalEntry): boolean {
  if (entry.pid === process.pid) return false;
  try {
    process.kill(entry.pid, 0);
  } catch {
    return false;
  }
  // A process killed a moment ago can linger as a zombie until its parent reaps it: that one is gone too.
  const stat = `/proc/${entry.pid}/stat`;
  return !existsSync(stat) || !/^\d+ \(.*\) Z /.test(readFileSync(stat, 'utf8'));
}
