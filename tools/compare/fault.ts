// The scenario's fault on the shared stack, through the drill's injections and its write-ahead journal (in a
// file of its own): journaled before it is made, removed after the run, and a leftover of a killed compare
// is removed by the next one before it starts.
import { join } from 'node:path';
import { stateDir } from '../../platform/paths.ts';
import { conflicts, inject, undoInjection } from '../drill/injections.ts';
import { journalOwnerAlive, openJournal, type DrillAction, type Journal } from '../drill/journal.ts';
import type { CompareScenario } from './scenarios.ts';

export const compareJournalPath = join(stateDir, 'compare', 'active.json');

/** Undoes what the journal lists; returns what could not be undone (kept in the journal). */
async function undoAll(journal: Journal): Promise<string[]> {
  const failed: DrillAction[] = [];
  const problems: string[] = [];
  for (const action of [...(journal.read()?.actions ?? [])].reverse()) {
    try {
      await undoInjection(action);
    } catch (err) {
      failed.push(action);
      problems.push((err as Error).message);
    }
  }
  journal.keepOnly(failed);
  return problems;
}

export interface AppliedFault {
  /** Removes the fault; resolves to what could not be removed (empty when all of it was). */
  remove(): Promise<string[]>;
}

/** Applies the scenario's fault, or throws naming why it cannot (a compare running, a fault already there). */
export async function applyFault(
  scenario: CompareScenario,
  runId: string,
  journal: Journal = openJournal(compareJournalPath),
): Promise<AppliedFault> {
  const earlier = journal.read();
  if (earlier && journalOwnerAlive(earlier))
    throw new Error(`compare ${earlier.runId} (pid ${earlier.pid}) is running: one at a time`);
  if (earlier) {
    const left = await undoAll(journal);
    if (left.length > 0) throw new Error(`a killed compare's fault could not be removed: ${left.join('; ')}`);
  }
  const there = await conflicts(scenario.injections);
  if (there.length > 0) throw new Error(`already injected: ${there.join('; ')}`);
  journal.begin(runId, `compare ${scenario.name}`);
  const applied = { remove: () => undoAll(journal) };
  try {
    for (const injection of scenario.injections) await inject(injection, journal);
  } catch (err) {
    await applied.remove();
    throw err;
  }
  return applied;
}
