// Rollbacks: every change an experiment makes is in its journal (the drill's write-ahead journal, a file of
// its own), written before the change. At the end of the fault window the injections are undone; at the end
// of the experiment, whatever is left (the compressed alert rules) — and a killed experiment is undone by
// `npm run chaos -- --cleanup` or by the next experiment.
import { join } from 'node:path';
import { stateDir } from '../../platform/paths.ts';
import { describeAction } from '../drill/cleanup.ts';
import { undoInjection } from '../drill/injections.ts';
import type { DrillAction, Journal } from '../drill/journal.ts';

export const chaosJournalPath = join(stateDir, 'chaos', 'active.json');

const isInjection = (a: DrillAction): boolean =>
  a.kind === 'service-fault' || a.kind === 'toxic' || a.kind === 'consumer-paused';

/** Undoes the journaled injections (newest first, 3 tries each); keeps the rest, and what failed. */
export async function rollbackInjections(
  journal: Journal,
  log: (line: string) => void,
): Promise<{ undone: string[]; failed: string[] }> {
  const entry = journal.read();
  if (!entry) return { undone: [], failed: [] };
  const undone: string[] = [];
  const failed: string[] = [];
  const keep: DrillAction[] = entry.actions.filter((a) => !isInjection(a));
  for (const action of [...entry.actions].reverse().filter(isInjection)) {
    let error: unknown;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await undoInjection(action);
        error = undefined;
        break;
      } catch (err) {
        error = err;
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
    if (error === undefined) {
      undone.push(describeAction(action));
      log(`[chaos] rollback: ${describeAction(action)}`);
    } else {
      failed.push(`${describeAction(action)}: ${(error as Error).message}`);
      log(`[chaos] rollback FAILED: ${describeAction(action)}: ${(error as Error).message}`);
      keep.push(action);
    }
  }
  journal.keepOnly(keep);
  return { undone, failed };
}
