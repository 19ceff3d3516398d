// Outages: the method kinds beyond the drill's (faults, toxics, paused consumers). A Toxiproxy proxy disabled
// (its callers get connection refused: a dependency fully down), a stack process stopped through the
// supervisor (Kafka) and started again at the end of the window, a process killed with SIGKILL (supervisord
// restarts it: the exit was unexpected, as in test/chaos/worker-crash.test.ts), a process restarted (the
// Temporal dev server: stopped and started again at once).
// Each is written to its own write-ahead journal (.orderflow/chaos/outages.json) before it is made; its undo
// (proxy enabled, process started and ready) is idempotent, so the end of the window, the end of the
// experiment, the next experiment and `npm run chaos -- --cleanup` may all run it.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { stateDir } from '../../platform/paths.ts';
import { waitReady } from '../../stack/probes.ts';
import { stackComponents } from '../../stack/stack.ts';
import { ctl, programStates } from '../../stack/supervisor.ts';
import type { Injection } from '../drill/injections.ts';
import { endpoints } from '../drill/endpoints.ts';

export type Outage =
  | { readonly kind: 'proxy-disabled'; readonly proxy: string }
  | { readonly kind: 'program-stopped'; readonly program: string }
  | {
      readonly kind: 'program-killed';
      readonly program: string;
      /** Seconds to wait (journaled already) before the kill: lets the window's other faults take hold. */
      readonly afterSeconds?: number;
    }
  | { readonly kind: 'program-restarted'; readonly program: string };

/** The programs an outage may touch: the stack's own, never anything else on the machine. */
export const OUTAGE_PROGRAMS = [
  'kafka',
  'temporal',
  'order-worker',
  'payment-worker',
  'fraud-worker',
] as const;

export const isOutage = (i: Injection | Outage): i is Outage =>
  i.kind === 'proxy-disabled' ||
  i.kind === 'program-stopped' ||
  i.kind === 'program-killed' ||
  i.kind === 'program-restarted';

export function describeOutage(o: Outage): string {
  switch (o.kind) {
    case 'proxy-disabled':
      return `${o.proxy} proxy disabled (Toxiproxy: connections refused)`;
    case 'program-stopped':
      return `${o.program} stopped (supervisorctl stop)`;
    case 'program-killed':
      return `${o.program} killed (SIGKILL${o.afterSeconds ? ` ${o.afterSeconds} s into the window` : ''}; supervisord restarts it)`;
    case 'program-restarted':
      return `${o.program} restarted (supervisorctl restart: SIGTERM, then started again)`;
  }
}

export function describeOutageUndo(o: Outage): string {
  return o.kind === 'proxy-disabled' ? `${o.proxy} proxy enabled` : `${o.program} running and ready`;
}

// --- The journal --------------------------------------------------------------------------------------------

export const outageJournalPath = join(stateDir, 'chaos', 'outages.json');

interface OutageJournal {
  readonly pid: number;
  readonly outages: readonly Outage[];
}

const readJournal = (path: string): OutageJournal | undefined =>
  existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as OutageJournal) : undefined;

function writeJournal(path: string, outages: readonly Outage[]): void {
  if (outages.length === 0) {
    rmSync(path, { force: true });
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ pid: process.pid, outages }, null, 2)}\n`);
  renameSync(tmp, path); // atomic: a reader never sees half a journal
}

export const journaledOutages = (path = outageJournalPath): readonly Outage[] =>
  readJournal(path)?.outages ?? [];

/** The pid of another process that journaled outages and still runs: its experiment is not a leftover. */
export function outageOwnerAlive(path = outageJournalPath): number | undefined {
  const entry = readJournal(path);
  if (!entry || entry.pid === process.pid) return undefined;
  try {
    process.kill(entry.pid, 0);
    return entry.pid;
  } catch {
    return undefined;
  }
}

// --- Making and undoing -------------------------------------------------------------------------------------

const setProxyEnabled = async (proxy: string, enabled: boolean): Promise<void> => {
  const res = await fetch(`${endpoints.toxiproxy}/proxies/${proxy}`, {
    method: 'POST',
    body: JSON.stringify({ enabled }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`Toxiproxy ${proxy} enabled=${enabled}: ${res.status} ${await res.text()}`);
};

const checkProgram = (program: string): void => {
  if (!(OUTAGE_PROGRAMS as readonly string[]).includes(program))
    throw new Error(`${program} is not a program chaos may stop or kill (${OUTAGE_PROGRAMS.join(', ')})`);
};

/** Journals the outage, then makes it. */
export async function makeOutage(o: Outage, path = outageJournalPath): Promise<void> {
  if (o.kind !== 'proxy-disabled') checkProgram(o.program);
  const known = journaledOutages(path);
  if (!known.some((k) => JSON.stringify(k) === JSON.stringify(o))) writeJournal(path, [...known, o]);
  switch (o.kind) {
    case 'proxy-disabled':
      return setProxyEnabled(o.proxy, false);
    case 'program-stopped':
      await ctl('stop', o.program);
      return;
    case 'program-killed':
      if (o.afterSeconds) await delay(o.afterSeconds * 1000);
      await ctl('signal', 'KILL', o.program);
      return;
    case 'program-restarted':
      await ctl('restart', o.program);
      return;
  }
}

/** The program running under supervisord and its readiness probe answering (the stack's own probe). */
async function ensureRunning(program: string, timeoutMs: number): Promise<void> {
  const component = stackComponents().find((c) => c.name === program);
  if (!component) throw new Error(`${program} is not a component of the stack`);
  const deadline = Date.now() + timeoutMs;
  // A killed program is being restarted by supervisord (STARTING, or BACKOFF between tries); a stopped or
  // given-up one (STOPPED, EXITED, FATAL) is started here.
  for (;;) {
    const state = (await programStates()).get(program)?.state;
    if (state === 'RUNNING') break;
    if (state === 'STOPPED' || state === 'EXITED' || state === 'FATAL') {
      await ctl('start', program).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${program} is ${state ?? 'unknown'} after ${timeoutMs} ms`);
    await delay(500);
  }
  await waitReady(component.probe, {
    timeoutMs: Math.max(5_000, deadline - Date.now()),
  });
}

export async function undoOutage(o: Outage): Promise<void> {
  if (o.kind === 'proxy-disabled') return setProxyEnabled(o.proxy, true);
  checkProgram(o.program);
  return ensureRunning(o.program, 120_000);
}

/** Undoes every journaled outage (newest first, 3 tries each); keeps in the journal what failed. */
export async function undoOutages(
  log: (line: string) => void,
  path = outageJournalPath,
): Promise<{ undone: string[]; failed: string[] }> {
  const owner = outageOwnerAlive(path);
  if (owner !== undefined)
    throw new Error(
      `a chaos experiment (pid ${owner}) holds outages; experiments hold /tmp/orderflow-stack.lock`,
    );
  const undone: string[] = [];
  const failed: string[] = [];
  const keep: Outage[] = [];
  for (const o of [...journaledOutages(path)].reverse()) {
    let error: unknown;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await undoOutage(o);
        error = undefined;
        break;
      } catch (err) {
        error = err;
        await delay(1000 * attempt);
      }
    }
    if (error === undefined) {
      undone.push(describeOutageUndo(o));
      log(`[chaos] rollback: ${describeOutageUndo(o)}`);
    } else {
      failed.push(`${describeOutageUndo(o)}: ${(error as Error).message}`);
      log(`[chaos] rollback FAILED: ${describeOutageUndo(o)}: ${(error as Error).message}`);
      keep.unshift(o);
    }
  }
  writeJournal(path, keep);
  return { undone, failed };
}

/** What differs from normal after an experiment: a disabled proxy, a touched program not running. */
export async function outageLeftovers(path = outageJournalPath): Promise<string[]> {
  const problems = journaledOutages(path).map((o) => `not undone: ${describeOutage(o)}`);
  const proxies = (await (
    await fetch(`${endpoints.toxiproxy}/proxies`, { signal: AbortSignal.timeout(10_000) })
  ).json()) as Record<string, { enabled: boolean }>;
  for (const [name, p] of Object.entries(proxies))
    if (!p.enabled) problems.push(`Toxiproxy proxy ${name} is disabled`);
  const states = await programStates();
  for (const program of OUTAGE_PROGRAMS) {
    const state = states.get(program)?.state;
    if (state !== undefined && state !== 'RUNNING') problems.push(`${program} is ${state}`);
  }
  return problems;
}
