// What a process pays at start for the tracing bootstrap, and what prom-client's event-loop monitor costs
// at idle: each measured in fresh child processes of this Node, so nothing of this one is counted.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../platform/paths.ts';

/** A child that reports its own CPU (ms) and RSS (MB) 50 ms after its entry ran. */
const REPORT = `setTimeout(() => { const c = process.cpuUsage(); console.log(JSON.stringify({ cpuMs: (c.user + c.system) / 1000, rssMb: process.memoryUsage().rss / 1e6 })); }, 50);`;

export interface StartupResult {
  readonly withBootstrap: { readonly cpuMs: number; readonly rssMb: number };
  readonly without: { readonly cpuMs: number; readonly rssMb: number };
}

function child(args: string[], env: NodeJS.ProcessEnv = {}): { cpuMs: number; rssMb: number } {
  const out = execFileSync(process.execPath, [...args, '--input-type=module', '-e', REPORT], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { cpuMs: number; rssMb: number };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export function startupBench(runs: number): StartupResult {
  const bootstrap = join(repoRoot, 'observability', 'tracing', 'bootstrap.ts');
  // An endpoint nothing listens on: the exporter is built, nothing is sent in 50 ms.
  const env = { OTEL_SERVICE_NAME: 'bench', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' };
  const withB = Array.from({ length: runs }, () => child(['--import', bootstrap], env));
  const without = Array.from({ length: runs }, () => child([]));
  const avg = (xs: { cpuMs: number; rssMb: number }[]) => ({
    cpuMs: mean(xs.map((x) => x.cpuMs)),
    rssMb: mean(xs.map((x) => x.rssMb)),
  });
  return { withBootstrap: avg(withB), without: avg(without) };
}

/** Idle CPU (ms per second) of a process whose only work is monitorEventLoopDelay at `resolutionMs`. */
export function eventLoopMonitorBench(resolutionMs: number, seconds: number): number {
  const script = `
    import { monitorEventLoopDelay } from 'node:perf_hooks';
    if (${resolutionMs} > 0) monitorEventLoopDelay({ resolution: ${resolutionMs} }).enable();
    const c0 = process.cpuUsage();
    setTimeout(() => { const c = process.cpuUsage(c0); console.log((c.user + c.system) / 1000 / ${seconds}); }, ${seconds * 1000});`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return Number(out.trim());
}
