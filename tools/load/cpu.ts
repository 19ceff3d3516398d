// CPU time and memory of the stack's processes, from /proc: utime+stime (clock ticks) and VmRSS of each
// supervisord program's process and its descendants (a Java or Go tool may fork), sampled during the run.
// Pids come from supervisord (stack/supervisor.ts), the same view as `npm run status`.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { programStates } from '../../stack/supervisor.ts';

export const clockTicksPerSecond = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export const cores = availableParallelism();

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly ticks: number;
}

/** /proc/<pid>/stat: the command name may hold spaces and parentheses, so fields are read after the last ')'. */
export function parseStat(pid: number, text: string): ProcStat {
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  return { pid, ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
}

function allStats(): Map<number, ProcStat> {
  const stats = new Map<number, ProcStat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      stats.set(Number(name), parseStat(Number(name), readFileSync(`/proc/${name}/stat`, 'utf8')));
    } catch {
      // the process ended meanwhile
    }
  }
  return stats;
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The supervisord programs that are running, by name, with their main pid. */
export async function stackPids(): Promise<Map<string, number>> {
  const pids = new Map<string, number>();
  for (const [name, s] of await programStates()) {
    const m = /pid (\d+)/.exec(s.detail);
    if (s.state === 'RUNNING' && m) pids.set(name, Number(m[1]));
  }
  return pids;
}

export interface ProcessSample {
  /** CPU time in ms since the process started (its tree's). */
  readonly cpuMs: number;
  readonly rssKb: number;
}

export interface Sample {
  readonly at: number;
  /** Busy CPU ms of the whole machine (all cores) since boot, from /proc/stat. */
  readonly machineBusyMs: number;
  readonly processes: ReadonlyMap<string, ProcessSample>;
}

function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
  const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  return (busy * 1000) / clockTicksPerSecond;
}

export function sample(pids: ReadonlyMap<string, number>): Sample {
  const stats = allStats();
  const children = new Map<number, number[]>();
  for (const s of stats.values()) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const processes = new Map<string, ProcessSample>();
  for (const [name, pid] of pids) {
    if (!stats.has(pid)) continue;
    let ticks = 0;
    let rss = 0;
    const queue = [pid];
    while (queue.length > 0) {
      const p = queue.pop()!;
      ticks += stats.get(p)?.ticks ?? 0;
      rss += rssKb(p);
      queue.push(...(children.get(p) ?? []));
    }
    processes.set(name, { cpuMs: (ticks * 1000) / clockTicksPerSecond, rssKb: rss });
  }
  return { at: Date.now(), machineBusyMs: machineBusyMs(), processes };
}

export interface ProcessUsage {
  readonly name: string;
  readonly cpuMs: number;
  readonly peakRssMb: number;
}

/**
 * CPU used between the first and the last sample in which each process appears, and the peak RSS seen. A
 * process absent from the first sample (k6, started during the window) counts from zero.
 */
export function usageBetween(samples: readonly Sample[]): {
  processes: ProcessUsage[];
  machineBusyMs: number;
} {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) return { processes: [], machineBusyMs: 0 };
  const names = new Set(samples.flatMap((s) => [...s.processes.keys()]));
  const processes: ProcessUsage[] = [];
  for (const name of names) {
    const seen = samples.flatMap((s) => {
      const p = s.processes.get(name);
      return p ? [p] : [];
    });
    const start = first.processes.get(name)?.cpuMs ?? 0;
    const end = seen.at(-1)?.cpuMs ?? start;
    const peak = Math.max(...seen.map((p) => p.rssKb));
    processes.push({ name, cpuMs: Math.max(0, end - start), peakRssMb: peak / 1024 });
  }
  processes.sort((a, b) => b.cpuMs - a.cpuMs);
  return { processes, machineBusyMs: last.machineBusyMs - first.machineBusyMs };
}

/** Samples every `intervalMs` until stopped. */
export class Sampler {
  readonly samples: Sample[] = [];
  readonly #pids: Map<string, number>;
  readonly #timer: NodeJS.Timeout;

  constructor(pids: ReadonlyMap<string, number>, intervalMs = 2000) {
    this.#pids = new Map(pids);
    this.samples.push(sample(pids));
    this.#timer = setInterval(() => this.samples.push(sample(this.#pids)), intervalMs);
  }

  /** Samples this process too from now on (the load generator). */
  track(name: string, pid: number): void {
    this.#pids.set(name, pid);
  }

  stop(): Sample[] {
    clearInterval(this.#timer);
    this.samples.push(sample(this.#pids));
    return this.samples;
  }
}
