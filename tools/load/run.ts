// One load phase: check the stack, top up stock, sample CPU and memory, run k6 at the phase's arrival rate,
// wait (bounded) until every order the phase sent is terminal, then reconcile from the order store and judge.
import { measureMachineSpeed, type MachineSpeed } from './machine-speed.ts';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { host } from '../../platform/ports.ts';
import { repoRoot } from '../../platform/paths.ts';
import { downstream } from '../../platform/downstream.ts';
import { defaultOrdersDb, openOrderStore, type OrderStore } from '../../order-store/index.ts';
import { stackStatus } from '../../stack/stack.ts';
import { ORDER_API_PORT } from '../../stack/apps.ts';
import { tools } from '../../stack/tools.ts';
import { cores, Sampler, stackPids, usageBetween, type ProcessUsage, type Sample } from './cpu.ts';
import { loadConfig, type Schedule } from './k6-options.ts';
import { readK6Results, type SubmitSample } from './k6-results.ts';
import { ordersOf, stockNeeded, type Mix } from './mix.ts';
import { readPrometheus, remoteWriteUrl, type PrometheusView } from './prometheus.ts';
import type { Thresholds } from './profiles.ts';
import {
  acceptToTerminal,
  countOutcomes,
  failureTypes,
  percentiles,
  reconcileRecord,
  type OutcomeCounts,
  type Percentiles,
  type ReconciledOrder,
} from './reconcile.ts';
import { judge, type Outcomes, type Verdict } from './verdict.ts';

/** How long the stack's idle CPU is measured before each phase. */
export const IDLE_BASELINE_MS = 10_000;

export const orderApiUrl = `http://${host}:${ORDER_API_PORT}`;
export const k6Script = join(repoRoot, 'tools', 'load', 'k6', 'orders.js');

export interface PhaseSpec {
  readonly runId: string;
  /** The breakpoint step (keys carry `.s<n>.`), or undefined. */
  readonly step?: number;
  readonly label: string;
  readonly schedule: Schedule;
  readonly mix: Mix;
  readonly thresholds: Thresholds;
  readonly drainSeconds: number;
  readonly dir: string;
  readonly log: (line: string) => void;
}

export interface Efficiency {
  /** Stack CPU over the window (k6 start → drained), per order sent, ms. */
  readonly cpuMsPerOrder: number;
  /** The same, net of the stack's idle CPU (measured just before the run). */
  readonly netCpuMsPerOrder: number;
  /** Each process's CPU over the window per order sent, and its idle share of a core just before the run. */
  readonly processes: (ProcessUsage & { cpuMsPerOrder: number; idleCores: number })[];
  /** cores × 3,600,000 ms/h ÷ net CPU-ms per order: the orders/h this machine's CPU bounds the stack to. */
  readonly cpuBoundOrdersPerHour: number;
  /** Orders/h that reached a terminal status during the sending window's length. */
  readonly achievedOrdersPerHour: number;
  readonly achievedOverLimit: number;
  /** The whole machine's busy share of its cores over the window (other tenants included). */
  readonly machineBusyShare: number;
  readonly idleStackCores: number;
  readonly k6CpuMs: number;
  /** This machine's speed, measured just before the run (machine-speed.ts): compare machines by it. */
  readonly machineSpeed: MachineSpeed;
}

export interface PhaseResult {
  readonly runId: string;
  readonly step: number | undefined;
  readonly label: string;
  readonly schedule: Schedule;
  readonly startedAt: number;
  readonly sentUntil: number;
  readonly drainedAt: number;
  readonly k6ExitCode: number | null;
  readonly sent: number;
  readonly droppedIterations: number;
  readonly reviewsDecided: number;
  readonly outcomes: Outcomes;
  readonly counts: OutcomeCounts;
  readonly failureTypes: ReturnType<typeof failureTypes>;
  readonly accept: Percentiles | undefined;
  readonly acceptToTerminal: Percentiles | undefined;
  readonly efficiency: Efficiency;
  readonly prometheus: PrometheusView;
  readonly verdict: Verdict;
  readonly orders: readonly ReconciledOrder[];
  readonly submits: readonly SubmitSample[];
  readonly samples: readonly Sample[];
}

/**
 * undefined when every component answers its readiness probe, else what is not ready. A probe that misses
 * once (a 2 s timeout on a busy 2-core machine) is asked again, three times at most, before the stack counts
 * as not ready.
 */
export async function stackProblem(attempts = 3): Promise<string | undefined> {
  let problem = '';
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await delay(3000);
    try {
      const down = (await stackStatus()).filter((s) => !s.ready);
      if (down.length === 0) return undefined;
      problem = `not ready: ${down.map((s) => `${s.name} (${s.detail})`).join(', ')}; start it with \`npm start\`, see \`npm run status\``;
    } catch (err) {
      problem = `status unknown: ${(err as Error).message}`;
    }
  }
  return problem;
}

export function openStore(): OrderStore {
  return openOrderStore(process.env.ORDERS_DB ?? defaultOrdersDb());
}

/**
 * Rejects the run's review orders still awaiting a decision (the reviewer gave up waiting for them): an
 * undecided order would sit in the shared stack's review queue for its 24 h deadline. Returns how many.
 */
export async function rejectUndecided(
  orders: readonly ReconciledOrder[],
  log: (line: string) => void,
): Promise<number> {
  let rejected = 0;
  for (const o of orders) {
    if (o.outcome !== 'running' || o.kind !== 'review') continue;
    const res = await fetch(`${orderApiUrl}/orders/${o.orderId}/review`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'reject', reviewer: 'load-runner-cleanup@example.com' }),
      signal: AbortSignal.timeout(5000),
    }).catch(() => undefined);
    if (res?.ok) rejected++;
  }
  if (rejected > 0)
    log(`[load] rejected ${rejected} review orders the reviewer had not decided (counted as running)`);
  return rejected;
}

/** Raises on-hand stock of the mix's SKUs so the run cannot sell out (an admin delivery, inventory-service). */
export async function ensureStock(mix: Mix, orders: number, log: (line: string) => void): Promise<void> {
  const base = `http://${host}:${downstream.inventory.port}`;
  for (const [sku, need] of Object.entries(stockNeeded(mix, orders))) {
    const res = await fetch(`${base}/stock/${sku}`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`inventory-service: GET /stock/${sku} answered ${res.status}`);
    const stock = (await res.json()) as { onHand: number; available: number };
    if (stock.available >= need) continue;
    const onHand = stock.onHand + (need - stock.available) + 1000;
    const put = await fetch(`${base}/stock/${sku}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ onHand }),
      signal: AbortSignal.timeout(5000),
    });
    if (!put.ok) throw new Error(`inventory-service: PUT /stock/${sku} answered ${put.status}`);
    log(`[load] restocked ${sku}: on hand ${stock.onHand} → ${onHand} (the run may take up to ${need})`);
  }
}

const fmtClock = (s: number): string =>
  `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

function runK6(spec: PhaseSpec, onStart: (pid: number) => void): Promise<number | null> {
  const config = loadConfig(spec.runId, orderApiUrl, spec.mix, spec.schedule);
  const args = [
    'run',
    '--quiet',
    '--no-usage-report',
    '--summary-export',
    join(spec.dir, 'k6-summary.json'),
    '--out',
    `csv=${join(spec.dir, 'k6.csv')}`,
    '--out',
    'experimental-prometheus-rw',
    '--tag',
    `testid=${spec.runId}`,
    ...(spec.step !== undefined ? ['--tag', `step=${spec.step}`] : []),
    k6Script,
  ];
  const child = spawn(tools.k6.bins.k6, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      LOAD_CONFIG: JSON.stringify(config),
      ...(spec.step !== undefined ? { LOAD_STEP: String(spec.step) } : {}),
      K6_CSV_TIME_FORMAT: 'unix_milli',
      K6_PROMETHEUS_RW_SERVER_URL: remoteWriteUrl,
      K6_PROMETHEUS_RW_TREND_STATS: 'p(50),p(95),p(99),max',
      K6_PROMETHEUS_RW_PUSH_INTERVAL: '5s',
    },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  if (child.pid) onStart(child.pid);
  const forward = (): void => void child.kill('SIGINT');
  process.once('SIGINT', forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      process.off('SIGINT', forward);
      if (code !== 0 && stderr.trim())
        spec.log(`[load] k6 exited ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
      resolve(code);
    });
  });
}

export async function runPhase(spec: PhaseSpec): Promise<PhaseResult> {
  mkdirSync(spec.dir, { recursive: true });
  const prefix = `${spec.runId}.${spec.step !== undefined ? `s${spec.step}.` : ''}`;
  const store = openStore();
  try {
    const expected = ordersOf(spec.schedule.rate, spec.schedule.seconds, spec.schedule.stages);
    await ensureStock(spec.mix, expected, spec.log);

    // Before the sampler: the calibration's own CPU is in the load tool, not the stack's idle.
    const machineSpeed = measureMachineSpeed();
    const pids = await stackPids();
    const sampler = new Sampler(pids, 2000);
    // The stack's idle CPU, just before the run: subtracted for the net CPU per order.
    await delay(IDLE_BASELINE_MS);
    const idle = usageBetween(sampler.samples);
    const idleSeconds = (Date.now() - sampler.samples[0]!.at) / 1000;
    const idleCoresStack = idle.processes.reduce((t, p) => t + p.cpuMs, 0) / 1000 / idleSeconds;

    const startedAt = Date.now();
    spec.log(
      `[load] ${spec.label}: ${spec.schedule.stages ? 'ramping' : `${spec.schedule.rate} orders/h`} for ${fmtClock(spec.schedule.seconds)} (~${expected} orders), run id ${spec.runId}`,
    );
    let k6Pid: number | undefined;
    let done = false;
    const progress = (async () => {
      while (!done) {
        await delay(10_000);
        if (done) break;
        const c = countOutcomes((await store.listByIdempotencyKeyPrefix(prefix)).map(reconcileRecord));
        const elapsed = (Date.now() - startedAt) / 1000;
        spec.log(
          `[load] ${fmtClock(elapsed)}/${fmtClock(spec.schedule.seconds)}  accepted ${c.completed + c.declined + c.failed + c.running}  completed ${c.completed}  declined ${c.declined}  failed ${c.failed}  running ${c.running}`,
        );
      }
    })();
    const k6ExitCode = await runK6(spec, (pid) => {
      k6Pid = pid;
      sampler.track('k6 (load generator)', pid);
    });
    const sentUntil = Date.now();
    done = true;
    await progress;

    // Drain: bounded wait for every order the phase sent to reach a terminal status.
    const drainDeadline = sentUntil + spec.drainSeconds * 1000;
    for (;;) {
      const running = (await store.listByIdempotencyKeyPrefix(prefix)).filter(
        (o) => o.status === 'received',
      ).length;
      if (running === 0) break;
      if (Date.now() > drainDeadline) {
        spec.log(`[load] drain bound (${spec.drainSeconds} s) passed with ${running} orders still running`);
        break;
      }
      await delay(1000);
    }
    const samples = sampler.stop();
    const drainedAt = Date.now();
    void k6Pid;

    const k6 = await readK6Results(join(spec.dir, 'k6-summary.json'), join(spec.dir, 'k6.csv'));
    const orders = (await store.listByIdempotencyKeyPrefix(prefix)).map(reconcileRecord);
    const counts = countOutcomes(orders);
    await rejectUndecided(orders, spec.log);
    // Sent = the submit requests k6 made: its `iterations` leaves out the iterations its graceful stop
    // interrupted (a reviewer still waiting), whose orders were sent all the same.
    const sent = Math.max(k6.submits.length, k6.iterations);
    const accepted202 = k6.submits.filter((s) => s.status === 202).length;
    const missing = Math.max(0, accepted202 - orders.length);
    const outcomes: Outcomes = {
      sent,
      notAccepted: Math.max(0, sent - orders.length - missing),
      ...counts,
      missing,
    };
    const accept = percentiles(k6.submits.filter((s) => s.status === 202).map((s) => s.ms));
    const e2e = percentiles(acceptToTerminal(orders));
    // Wait for k6's last remote-write push and a scrape of the workers before reading Prometheus.
    await delay(6000);
    const prometheus = await readPrometheus(spec.runId, startedAt, Date.now());

    const problem = k6ExitCode === 0 ? await stackProblem() : `k6 exited with ${k6ExitCode}`;
    const verdict = judge(
      {
        stackReady: problem === undefined,
        ...(problem ? { stackProblem: problem } : {}),
        droppedIterations: k6.droppedIterations,
        outcomes,
        acceptP99Ms: accept?.p99,
        acceptToTerminalP99Ms: e2e?.p99,
      },
      spec.thresholds,
    );

    const usage = usageBetween(samples);
    const windowSeconds = (drainedAt - samples[0]!.at) / 1000;
    const stackProcesses = usage.processes.filter((p) => p.name !== 'k6 (load generator)');
    const stackCpuMs = stackProcesses.reduce((t, p) => t + p.cpuMs, 0);
    const perOrder = (ms: number): number => (outcomes.sent > 0 ? ms / outcomes.sent : 0);
    const netCpuMs = Math.max(0, stackCpuMs - idleCoresStack * 1000 * windowSeconds);
    const cpuBound = perOrder(netCpuMs) > 0 ? (cores * 3_600_000) / perOrder(netCpuMs) : 0;
    const sendSeconds = (sentUntil - startedAt) / 1000;
    const achieved = ((counts.completed + counts.declined + counts.failed) / sendSeconds) * 3600;
    const efficiency: Efficiency = {
      cpuMsPerOrder: perOrder(stackCpuMs),
      netCpuMsPerOrder: perOrder(netCpuMs),
      processes: stackProcesses.map((p) => ({
        ...p,
        cpuMsPerOrder: perOrder(p.cpuMs),
        idleCores: (idle.processes.find((i) => i.name === p.name)?.cpuMs ?? 0) / 1000 / idleSeconds,
      })),
      cpuBoundOrdersPerHour: cpuBound,
      achievedOrdersPerHour: achieved,
      achievedOverLimit: cpuBound > 0 ? achieved / cpuBound : 0,
      machineBusyShare: usage.machineBusyMs / (windowSeconds * 1000 * cores),
      idleStackCores: idleCoresStack,
      k6CpuMs: usage.processes.find((p) => p.name === 'k6 (load generator)')?.cpuMs ?? 0,
      machineSpeed,
    };

    return {
      runId: spec.runId,
      step: spec.step,
      label: spec.label,
      schedule: spec.schedule,
      startedAt,
      sentUntil,
      drainedAt,
      k6ExitCode,
      sent,
      droppedIterations: k6.droppedIterations,
      reviewsDecided: k6.reviews,
      outcomes,
      counts,
      failureTypes: failureTypes(orders),
      accept,
      acceptToTerminal: e2e,
      efficiency,
      prometheus,
      verdict,
      orders,
      submits: k6.submits,
      samples,
    };
  } finally {
    await store.close();
  }
}
