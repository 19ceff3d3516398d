// One experiment, start to end (Chaos Toolkit's run order): the steady state checked before (invalid if it
// does not hold), the compressed alert rules armed when an alert is expected, background load started, the
// method injected at its offset (journaled first), the hypothesis probed during the fault, the rollbacks at
// its end (and always, on an error or Ctrl-C), the load drained, the hypothesis checked after (the saga's
// invariants over the experiment's own orders), then the verdict.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { stateDir } from '../../platform/paths.ts';
import { undoJournal, recoverLeftovers } from '../drill/cleanup.ts';
import { conflicts, describeInjection, inject } from '../drill/injections.ts';
import { openJournal, type Journal } from '../drill/journal.ts';
import { restorationProblems } from '../drill/verify.ts';
import { mixes } from '../load/mix.ts';
import { profiles } from '../load/profiles.ts';
import { runPhase, stackProblem, type PhaseResult } from '../load/run.ts';
import { armDetection, watchDiagnosis, watchFiring } from './detect.ts';
import type { Experiment, Phase, PromProbe } from './experiment.ts';
import { experimentOrders } from './orders.ts';
import { describeOutage, isOutage, makeOutage, outageLeftovers, undoOutages } from './outages.ts';
import { runPromProbe, settleProbe } from './probes.ts';
import { chaosJournalPath, rollbackInjections } from './rollback.ts';
import { judgeExperiment, type ChaosOrder, type ChaosVerdict, type ProbeResult } from './verdict.ts';

export const chaosReportsDir = join(stateDir, 'reports', 'chaos');

export interface RunOptions {
  /** Overrides of the experiment's load and fault window (the test's short runs). */
  readonly ratePerHour?: number;
  readonly loadSeconds?: number;
  readonly faultSeconds?: number;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
  readonly journal?: Journal;
}

export interface ExperimentResult {
  readonly experiment: Experiment;
  readonly runId: string;
  readonly dir: string;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly fault?: { readonly startMs: number; readonly endMs: number };
  readonly probes: readonly ProbeResult[];
  readonly detect?: { readonly alert: string; readonly firedAfterMs?: number; readonly error?: string };
  readonly diagnose?: { readonly expected: string; readonly namedAfterMs?: number };
  readonly rollback: {
    readonly undone: readonly string[];
    readonly failed: readonly string[];
    readonly leftovers: readonly string[];
  };
  readonly phase?: PhaseResult;
  readonly orders: readonly ChaosOrder[];
  readonly verdict: ChaosVerdict;
  readonly error?: string;
}

const BEFORE_SETTLE_MS = 90_000;
const DURING_EVERY_MS = 15_000;
/** Watch for the alert and the diagnosis until this long after the fault ends. */
const WATCH_AFTER_FAULT_MS = 90_000;

const promProbes = (e: Experiment, phase: Phase): PromProbe[] =>
  e.steadyStateHypothesis.probes.filter(
    (p): p is PromProbe => p.kind === 'promql' && p.phases.includes(phase),
  );

/** Samples the `during` probes every 15 s until `stop`; a probe holds only if every sample did. */
async function probeDuring(e: Experiment, stop: AbortSignal): Promise<ProbeResult[]> {
  const seen = new Map<string, ProbeResult[]>();
  while (!stop.aborted) {
    for (const p of promProbes(e, 'during'))
      seen.set(p.name, [...(seen.get(p.name) ?? []), await runPromProbe(p, 'during')]);
    await delay(DURING_EVERY_MS, undefined, { signal: stop }).catch(() => undefined);
  }
  return [...seen].map(([name, samples]) => ({
    phase: 'during',
    name,
    ok: samples.every((s) => s.ok),
    value: samples.map((s) => s.value).join(' → '),
  }));
}

/** The invariant probe after the drain; consumers may still be applying the last events: asked again briefly. */
async function ordersAfter(runId: string, log: (line: string) => void): Promise<ChaosOrder[]> {
  const bounds = { runningMs: 10 * 60_000, eventGraceMs: 0 };
  let orders: ChaosOrder[] = [];
  for (let i = 0; i < 7; i++) {
    orders = await experimentOrders(runId, bounds);
    const broken = orders.filter((o) => o.violations.length > 0);
    if (broken.length === 0 || broken.some((o) => o.violations.some((v) => v !== 'event-not-applied-once')))
      break;
    log(`[chaos] ${broken.length} orders' events not applied once yet; asking again in 10 s`);
    await delay(10_000);
  }
  return orders;
}

export async function runExperiment(e: Experiment, options: RunOptions = {}): Promise<ExperimentResult> {
  const log = options.log ?? (() => {});
  const { signal } = options;
  const journal = options.journal ?? openJournal(chaosJournalPath);
  const startedAt = Date.now();
  const runId = `chaos-${e.name}-${startedAt.toString(36)}`;
  const dir = join(chaosReportsDir, runId);
  mkdirSync(dir, { recursive: true });
  const seconds = options.loadSeconds ?? e.load.seconds;
  const faultSeconds = options.faultSeconds ?? e.method.durationSeconds;
  const startAfter = Math.min(e.method.startAfterSeconds, Math.max(5, seconds - faultSeconds - 5));

  await recoverLeftovers(journal, log);
  const left = await undoOutages(log);
  if (left.failed.length > 0)
    throw new Error(`could not undo the previous outage: ${left.failed.join('; ')}`);
  const problem = await stackProblem();
  if (problem) throw new Error(`STACK_NOT_READY: ${problem}`);
  const notNormal = await outageLeftovers();
  if (notNormal.length > 0) throw new Error(`STACK_NOT_NORMAL: ${notNormal.join('; ')}`);
  const clash = await conflicts(e.method.injections.filter((i) => !isOutage(i)));
  if (clash.length > 0) throw new Error(`STACK_NOT_NORMAL: ${clash.join('; ')}`);
  journal.begin(runId, e.name);
  log(`[chaos] ${runId}: ${e.title}`);

  const probes: ProbeResult[] = [];
  let phase: PhaseResult | undefined;
  let fault: { startMs: number; endMs: number } | undefined;
  let detect: ExperimentResult['detect'];
  let diagnose: ExperimentResult['diagnose'];
  let error: string | undefined;
  const rollback = { undone: [] as string[], failed: [] as string[], leftovers: [] as string[] };
  const stopWatching = new AbortController();
  try {
    for (const p of promProbes(e, 'before')) {
      const r = await settleProbe(p, BEFORE_SETTLE_MS, signal);
      log(`[chaos] before: ${p.name}: ${r.ok ? 'holds' : 'DOES NOT HOLD'} (${r.value})`);
      probes.push(r);
    }
    if (probes.some((p) => !p.ok)) throw new Error('the steady state does not hold before the fault');
    if (e.detect) {
      log(`[chaos] arming ${e.detect.alert} on the compressed rules (×20, as the drill)`);
      await armDetection(e.detect.alert, runId, journal, signal);
    }

    let loadStarted!: () => void;
    const started = new Promise<void>((resolve) => (loadStarted = resolve));
    const label = `chaos ${e.name}`;
    const running = runPhase({
      runId,
      label,
      schedule: { rate: options.ratePerHour ?? e.load.ratePerHour, seconds },
      mix: mixes[e.load.mix],
      thresholds: profiles.normal.thresholds,
      drainSeconds: e.drainSeconds,
      dir,
      log: (line) => {
        if (line.startsWith(`[load] ${label}:`)) loadStarted();
        log(line);
      },
    });
    // Awaited below; if the method fails first, its rejection must not go unhandled.
    running.catch(() => undefined);
    await Promise.race([started, running]);
    await delay(startAfter * 1000, undefined, { signal });

    const startMs = Date.now();
    fault = { startMs, endMs: startMs + faultSeconds * 1000 };
    for (const injection of e.method.injections) {
      if (isOutage(injection)) await makeOutage(injection);
      else await inject(injection, journal);
      log(
        `[chaos] injected: ${isOutage(injection) ? describeOutage(injection) : describeInjection(injection)}`,
      );
    }
    const watchUntil = (): number => (fault?.endMs ?? Date.now()) + WATCH_AFTER_FAULT_MS;
    const detecting = e.detect ? watchFiring(e.detect.alert, watchUntil, stopWatching.signal) : undefined;
    const diagnosing = e.diagnose
      ? watchDiagnosis(e.diagnose, new Date(startMs - 5000), watchUntil, stopWatching.signal)
      : undefined;
    const stopDuring = new AbortController();
    const during = probeDuring(e, AbortSignal.any([stopDuring.signal, ...(signal ? [signal] : [])]));
    await delay(faultSeconds * 1000, undefined, { signal });
    stopDuring.abort();
    fault = { startMs, endMs: Date.now() };
    for (const r of [await undoOutages(log), await rollbackInjections(journal, log)]) {
      rollback.undone.push(...r.undone);
      rollback.failed.push(...r.failed);
    }
    probes.push(...(await during));

    phase = await running;
    const [firedAt, namedAt] = await Promise.all([detecting, diagnosing]);
    if (e.detect) detect = { alert: e.detect.alert, ...(firedAt ? { firedAfterMs: firedAt - startMs } : {}) };
    if (e.diagnose)
      diagnose = {
        expected: e.diagnose.step
          ? `${e.diagnose.step} + ${e.diagnose.service}`
          : `${e.diagnose.service} proxy`,
        ...(namedAt ? { namedAfterMs: namedAt - startMs } : {}),
      };
  } catch (err) {
    error = signal?.aborted ? 'interrupted' : (err as Error).message;
    log(`[chaos] ${error}`);
  } finally {
    stopWatching.abort();
    for (const rest of [await undoOutages(log), await undoJournal(journal, log)]) {
      rollback.undone.push(...rest.undone);
      rollback.failed.push(...rest.failed);
    }
  }
  rollback.leftovers.push(...(await restorationProblems(chaosJournalPath)));
  rollback.leftovers.push(...(await outageLeftovers().catch((err: Error) => [err.message])));

  let orders: ChaosOrder[] = [];
  if (phase && !signal?.aborted) {
    for (const p of promProbes(e, 'after')) probes.push(await runPromProbe(p, 'after'));
    try {
      orders = await ordersAfter(runId, log);
      const broken = orders.filter((o) => o.violations.length > 0);
      for (const p of e.steadyStateHypothesis.probes.filter(
        (p) => p.kind === 'invariants' && p.phases.includes('after'),
      ))
        probes.push({
          phase: 'after',
          name: p.name,
          ok: broken.length === 0,
          value:
            broken.length === 0
              ? `${orders.length} orders, all held`
              : `${broken.length} of ${orders.length} orders broke one`,
        });
    } catch (err) {
      probes.push({
        phase: 'after',
        name: 'reconciliation',
        ok: false,
        value: `SOURCE_UNAVAILABLE: ${(err as Error).message}`,
      });
    }
  }
  const verdict = judgeExperiment(
    {
      loadInvalid: [
        ...(phase?.verdict.invalidReasons ?? []),
        ...(error ? [`the experiment did not run to its end: ${error}`] : []),
      ],
      probes,
      fault: fault ?? { startMs: 0, endMs: 0 },
      orders,
      notAccepted: phase?.submits.filter((x) => x.status !== 202).map((x) => x.at - x.ms) ?? [],
      rollback,
      ...(detect ? { detect } : {}),
      ...(diagnose ? { diagnose } : {}),
    },
    e.expect,
  );
  return {
    experiment: e,
    runId,
    dir,
    startedAt,
    finishedAt: Date.now(),
    ...(fault ? { fault } : {}),
    probes,
    ...(detect ? { detect } : {}),
    ...(diagnose ? { diagnose } : {}),
    rollback,
    ...(phase ? { phase } : {}),
    orders,
    verdict,
    ...(error ? { error } : {}),
  };
}
