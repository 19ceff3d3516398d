// Undoing a drill, from its journal: injections first (the harm stops), then Prometheus back on the source
// rules, then the drill's alerts resolved in Alertmanager and its normal timings restored. Each undo is
// retried a few times; what still fails stays in the journal for `npm run drill -- --cleanup`.
import { setTimeout as delay } from 'node:timers/promises';
import { consumers } from '../../consumers/registry.ts';
import { downstream } from '../../platform/downstream.ts';
import { resolveDrillAlerts, restoreAlertmanagerConfig } from './alertmanager-swap.ts';
import { DRILL_TOXIC_PREFIX, toxicsByProxy, undoInjection } from './injections.ts';
import { type DrillAction, type Journal, journalOwnerAlive } from './journal.ts';
import { DRILL_LABEL, loadedRules, notNormal, restoreNormalRules } from './rules-swap.ts';

export function describeAction(action: DrillAction): string {
  switch (action.kind) {
    case 'prometheus-rules':
      return 'Prometheus back on alerts/rules/*.rules.yml';
    case 'alertmanager-config':
      return 'drill alerts resolved, Alertmanager back on its normal timings';
    case 'service-fault':
      return `fault removed from ${downstream[action.service].name}`;
    case 'toxic':
      return `toxic ${action.toxic} removed from ${action.proxy}`;
    case 'consumer-paused':
      return `${consumers[action.consumer].name} resumed`;
  }
}

async function undo(action: DrillAction): Promise<void> {
  if (action.kind === 'prometheus-rules') return restoreNormalRules();
  if (action.kind === 'alertmanager-config') {
    await resolveDrillAlerts(DRILL_LABEL);
    return restoreAlertmanagerConfig();
  }
  return undoInjection(action);
}

async function withRetries(fn: () => Promise<void>, attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await delay(1000 * attempt);
    }
  }
}

export interface CleanupReport {
  readonly undone: readonly string[];
  readonly failed: readonly string[];
}

/** Undoes every journaled action, newest first; keeps the ones that failed in the journal. */
export async function undoJournal(
  journal: Journal,
  log: (line: string) => void = () => {},
): Promise<CleanupReport> {
  const entry = journal.read();
  if (!entry) return { undone: [], failed: [] };
  const undone: string[] = [];
  const failed: string[] = [];
  const remaining: DrillAction[] = [];
  for (const action of [...entry.actions].reverse()) {
    try {
      await withRetries(() => undo(action));
      undone.push(describeAction(action));
      log(`[cleanup] ${describeAction(action)}`);
    } catch (err) {
      failed.push(`${describeAction(action)}: ${(err as Error).message}`);
      log(`[cleanup] FAILED ${describeAction(action)}: ${(err as Error).message}`);
      remaining.unshift(action);
    }
  }
  journal.keepOnly(remaining);
  return { undone, failed };
}

/** Before a drill: a journal left by a drill that died is undone; one of a drill still running stops us. */
export async function recoverLeftovers(journal: Journal, log: (line: string) => void): Promise<void> {
  const entry = journal.read();
  if (!entry) return;
  if (journalOwnerAlive(entry))
    throw new Error(
      `drill ${entry.runId} (${entry.alert}, pid ${entry.pid}) is running; drills hold /tmp/orderflow-stack.lock, one at a time`,
    );
  log(`[drill] undoing what drill ${entry.runId} (${entry.alert}) left behind`);
  const { failed } = await undoJournal(journal, log);
  if (failed.length > 0) throw new Error(`could not undo the previous drill: ${failed.join('; ')}`);
}

/**
 * `npm run drill -- --cleanup`: the journal, then whatever a drill may have left without one (a journal
 * deleted by hand): drill toxics, drill rules, drill alerts and timings. Faults and pauses without a journal
 * are not known to be a drill's, so they are only reported by the check that follows.
 */
export async function cleanupEverything(
  journal: Journal,
  log: (line: string) => void,
): Promise<CleanupReport> {
  const entry = journal.read();
  if (entry && journalOwnerAlive(entry))
    throw new Error(
      `drill ${entry.runId} (pid ${entry.pid}) is still running; stop it (Ctrl-C) and it cleans up`,
    );
  const { undone, failed } = await undoJournal(journal, log);
  const more: string[] = [];
  for (const [proxy, toxics] of await toxicsByProxy()) {
    for (const toxic of toxics.filter((t) => t.startsWith(DRILL_TOXIC_PREFIX))) {
      await undoInjection({ kind: 'toxic', proxy, toxic });
      more.push(`toxic ${toxic} removed from ${proxy}`);
    }
  }
  if (notNormal(await loadedRules())) {
    await restoreNormalRules();
    more.push(describeAction({ kind: 'prometheus-rules' }));
  }
  const alertmanager = describeAction({ kind: 'alertmanager-config' });
  if (!undone.includes(alertmanager)) {
    await undo({ kind: 'alertmanager-config' });
    more.push(alertmanager);
  }
  for (const line of more) log(`[cleanup] ${line}`);
  return { undone: [...undone, ...more], failed };
}
