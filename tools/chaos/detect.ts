// Time to detect and time to diagnose, measured from the moment the fault is injected.
// Detect: the alert's rule firing in the real Prometheus on the drill's time-compressed copy of the rules
// (tools/drill: journaled, so the rollback restores the source rules). Diagnose: `diagnose --since`'s summary
// (the same function the CLI calls) naming the declared step and dependency, or the faulty proxy.
import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { compressExpr } from '../../alerts/render-rules.ts';
import { loadDrillAlertmanagerConfig } from '../drill/alertmanager-swap.ts';
import type { Journal } from '../drill/journal.ts';
import { loadDrillRules } from '../drill/rules-swap.ts';
import { sourceRule } from '../drill/scenarios.ts';
import { alertRuleStatus, waitUntilEvaluated, waitUntilFalse } from '../drill/watch.ts';
import { MAX_FACTOR } from '../drill/run.ts';
import { endpointsFromEnv, type Endpoints } from '../diagnose/endpoints.ts';
import { summarizeSince, type Summary } from '../diagnose/summary.ts';
import { connectTemporal } from '../diagnose/temporal.ts';

/** Loads the compressed rules for `alert` (journaled first), once its condition is quiet in drill time. */
export async function armDetection(
  alert: string,
  runId: string,
  journal: Journal,
  signal?: AbortSignal,
): Promise<void> {
  const rule = sourceRule(alert);
  await waitUntilFalse(
    compressExpr(rule.rawCondition, MAX_FACTOR),
    `${alert}'s condition in drill time`,
    120_000,
    signal,
  );
  journal.record({ kind: 'alertmanager-config' });
  await loadDrillAlertmanagerConfig(MAX_FACTOR);
  journal.record({ kind: 'prometheus-rules' });
  const loadedAt = Date.now();
  await loadDrillRules(runId, MAX_FACTOR);
  await waitUntilEvaluated(alert, loadedAt, 30_000, signal);
}

/** Polls the alert's rule every second until it fires (resolves the epoch ms) or `until` passes. */
export async function watchFiring(
  alert: string,
  until: () => number,
  signal?: AbortSignal,
): Promise<number | undefined> {
  while (Date.now() < until()) {
    const status = await alertRuleStatus(alert).catch(() => undefined);
    if (status?.state === 'firing') return Date.now();
    await delay(1000, undefined, { signal }).catch(() => undefined);
    if (signal?.aborted) return undefined;
  }
  return undefined;
}

export interface DiagnoseTarget {
  readonly step?: string;
  readonly service: string;
}

/** Whether a `diagnose --since` summary names the target: a failed-orders group, or the faulty proxy. */
export function names(summary: Summary, target: DiagnoseTarget): boolean {
  if (target.step !== undefined)
    return summary.groups.some(
      (g) => g.step === target.step && g.service === target.service && g.outcome !== 'completed',
    );
  return summary.network.faulty.some((p) => p.name === target.service);
}

/** Runs `diagnose --since <fault start>` every 10 s until it names the target (resolves the epoch ms). */
export async function watchDiagnosis(
  target: DiagnoseTarget,
  since: Date,
  until: () => number,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const endpoints: Endpoints = endpointsFromEnv();
  let client: Client | undefined;
  try {
    client = await connectTemporal(endpoints);
    while (Date.now() < until() && !signal?.aborted) {
      const summary = await summarizeSince(client, endpoints, since, 'chaos', 200).catch(() => undefined);
      if (summary && names(summary, target)) return Date.parse(summary.generatedAt);
      await delay(10_000, undefined, { signal }).catch(() => undefined);
    }
    return undefined;
  } finally {
    await client?.connection.close().catch(() => undefined);
  }
}
