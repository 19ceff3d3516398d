// One k6 run per pipeline, side by side: the load tool's script and LOAD_CONFIG (tools/load/k6/orders.js,
// k6-options.ts), pointed at the pipeline's entry point, with a client timeout past any checkout deadline so
// the pipeline's own answer is what gets measured.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tools } from '../../stack/tools.ts';
import { loadConfig, type Schedule } from '../load/k6-options.ts';
import { readK6Results, type K6Results } from '../load/k6-results.ts';
import type { Mix } from '../load/mix.ts';
import { k6Script } from '../load/run.ts';

/** Longer than legacy-order-service's checkout deadline (10 s by default) with room to spare. */
export const CLIENT_TIMEOUT = '60s';

/**
 * A legacy checkout holds its VU until the pipeline answers (up to its 10 s deadline), not the load tool's
 * ~1 s: VUs are sized for 12 s iterations and allocated up front, since k6 allocating them mid-run on a busy
 * machine drops iterations (measured: 3 dropped at 4,000/h with the load tool's sizing).
 */
export const ITERATION_SECONDS = 12;

export function sizeVus(scenario: Record<string, unknown>): Record<string, unknown> {
  if (typeof scenario.rate !== 'number') return scenario;
  const concurrent = Math.ceil((scenario.rate / 3600) * ITERATION_SECONDS);
  return {
    ...scenario,
    preAllocatedVUs: Math.max(Number(scenario.preAllocatedVUs ?? 0), 2 * concurrent + 5),
    maxVUs: Math.max(Number(scenario.maxVUs ?? 0), 4 * concurrent + 20),
  };
}

export interface K6Run {
  readonly runId: string;
  readonly baseUrl: string;
  readonly mix: Mix;
  readonly schedule: Schedule;
  readonly dir: string;
}

export async function runK6(
  run: K6Run,
  log: (line: string) => void,
): Promise<K6Results & { exitCode: number | null }> {
  mkdirSync(run.dir, { recursive: true });
  const base = loadConfig(run.runId, run.baseUrl, run.mix, run.schedule);
  const scenarios = Object.fromEntries(
    Object.entries(base.scenarios).map(([name, sc]) => [name, sizeVus(sc)]),
  );
  const config = { ...base, scenarios, requestTimeout: CLIENT_TIMEOUT };
  const summary = join(run.dir, 'k6-summary.json');
  const csv = join(run.dir, 'k6.csv');
  const child = spawn(
    tools.k6.bins.k6,
    [
      'run',
      '--quiet',
      '--no-usage-report',
      '--summary-export',
      summary,
      '--out',
      `csv=${csv}`,
      '--tag',
      `testid=${run.runId}`,
      k6Script,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LOAD_CONFIG: JSON.stringify(config), K6_CSV_TIME_FORMAT: 'unix_milli' },
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const forward = (): void => void child.kill('SIGINT');
  process.once('SIGINT', forward);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  process.off('SIGINT', forward);
  if (exitCode !== 0 && stderr.trim())
    log(`[compare] k6 (${run.runId}) exited ${exitCode}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return { ...(await readK6Results(summary, csv)), exitCode };
}
