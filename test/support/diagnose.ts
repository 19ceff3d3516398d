// Test inputs for diagnose: the histories workflow.test.ts recorded on a real Temporal server
// (workflows/order/histories), the endpoints of the local stack, and the CLI as a person runs it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { eventually } from './stack.ts';
import type { Diagnosis } from '../../tools/diagnose/diagnosis.ts';
import { endpointsFromEnv } from '../../tools/diagnose/endpoints.ts';
import type { OtlpTrace } from '../../tools/diagnose/tempo.ts';
import { buildTimeline, type OrderTimeline } from '../../tools/diagnose/timeline.ts';
import { evidenceFor } from '../../tools/diagnose/trace-evidence.ts';

const dir = join(import.meta.dirname, '..', '..', 'workflows', 'order', 'histories');

export function recordedHistory(name: string): temporal.api.history.v1.IHistory {
  return temporal.api.history.v1.History.decode(readFileSync(join(dir, `${name}.history.pb`)));
}

export const recordedTimeline = (name: string): OrderTimeline => buildTimeline(name, recordedHistory(name));

/**
 * Orders recorded on the running stack (fixtures/): the Temporal history and the saga's trace from Tempo,
 * trimmed to service.name and the tracing contract's attributes. `toxic-reset-shipping`: a reset_peer
 * toxic on the shipping-service proxy; `injected-shipping-fault`: shipping-service answering 503 through
 * /admin/faults. Both compensated after CreateShipment's three attempts.
 */
export function recordedOrder(name: 'toxic-reset-shipping' | 'injected-shipping-fault'): {
  readonly timeline: OrderTimeline;
  readonly trace: OtlpTrace;
} {
  const fixtures = join(import.meta.dirname, '..', '..', 'tools', 'diagnose', 'fixtures');
  const history = temporal.api.history.v1.History.decode(readFileSync(join(fixtures, `${name}.history.pb`)));
  return {
    timeline: buildTimeline(name, history),
    trace: JSON.parse(readFileSync(join(fixtures, `${name}.trace.json`), 'utf8')) as OtlpTrace,
  };
}

/** Fixed endpoints, so links in assertions do not depend on the environment running the tests. */
export const localEndpoints = endpointsFromEnv({});

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

/** Runs `npm run diagnose -- <args>` the way a person does (same node flags), without npm's own output. */
export function runDiagnose(...args: string[]): Promise<CliRun> {
  const cli = join(import.meta.dirname, '..', '..', 'tools', 'diagnose', 'cli.ts');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', cli, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code: code ?? -1, stdout, stderr, elapsedMs: Date.now() - started }),
    );
  });
}

/** `diagnose --json <orderId>`, parsed; fails the test with the CLI's stderr if it did not succeed. */
export async function diagnoseJson(orderId: string): Promise<Diagnosis & { readonly elapsedMs: number }> {
  const run = await runDiagnose(orderId, '--json');
  if (run.code !== 0) throw new Error(`diagnose ${orderId} exited ${run.code}: ${run.stdout}${run.stderr}`);
  return { ...(JSON.parse(run.stdout) as Diagnosis), elapsedMs: run.elapsedMs };
}

/** Diagnoses until `until` holds, e.g. until Tempo has all the spans of interest (processes export in batches). */
export const diagnoseUntil = (orderId: string, what: string, until: (d: Diagnosis) => boolean) =>
  eventually(
    async () => {
      const d = await diagnoseJson(orderId);
      return until(d) ? d : undefined;
    },
    30_000,
    `diagnose ${orderId}: ${what}`,
  );

/** The trace's attempts of `step`, or none yet. */
export const tracedAttempts = (d: Diagnosis, step: string) =>
  evidenceFor(d.trace.evidence, step)?.attempts ?? [];
