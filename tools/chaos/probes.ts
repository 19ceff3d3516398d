// The steady-state probes: a PromQL query against the stack's Prometheus judged by its tolerance (pure part
// unit-tested), and the invariant probe, which is the reconciliation of the experiment's own orders.
import { setTimeout as delay } from 'node:timers/promises';
import { instantQuery, type PromSample } from '../../platform/prometheus.ts';
import { endpoints } from '../drill/endpoints.ts';
import type { Phase, PromProbe } from './experiment.ts';
import type { ProbeResult } from './verdict.ts';

/** Whether a query's result lies within the probe's tolerance. Several series: each must. */
export function withinTolerance(
  probe: PromProbe,
  samples: readonly PromSample[],
): { ok: boolean; value: string } {
  if (samples.length === 0) return { ok: probe.empty === 'holds', value: 'no data' };
  const values = samples.map((s) => Number(s.value[1]));
  const { min, max } = probe.tolerance;
  // NaN (0/0: no ended order in the window) is no data, not a breach.
  const ok = values.every((v) =>
    Number.isNaN(v)
      ? probe.empty === 'holds'
      : (min === undefined || v >= min) && (max === undefined || v <= max),
  );
  return {
    ok,
    value: values.map((v) => (Number.isNaN(v) ? 'no data' : String(Number(v.toFixed(4))))).join(', '),
  };
}

export async function runPromProbe(probe: PromProbe, phase: Phase): Promise<ProbeResult> {
  try {
    const samples = await instantQuery(endpoints.prometheus, probe.query, { timeoutMs: 10_000 });
    return { phase, name: probe.name, ...withinTolerance(probe, samples) };
  } catch (err) {
    return { phase, name: probe.name, ok: false, value: `query failed: ${(err as Error).message}` };
  }
}

/**
 * Before the fault, a probe that does not hold yet is asked again (every 5 s, up to `waitMs`): the traffic of
 * a previous experiment or test can keep a 1-minute window above its bar for a little while.
 */
export async function settleProbe(
  probe: PromProbe,
  waitMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const result = await runPromProbe(probe, 'before');
    if (result.ok || Date.now() > deadline) return result;
    await delay(5000, undefined, { signal });
  }
}
