// Time series for the charts and the report, bucketed from the run's start: offered orders (k6's submit
// requests), completed and terminal orders (the store's updated_at), accept→terminal percentiles and failure
// rates by acceptance time, and CPU per process (cores) from the /proc samples.
import type { SubmitSample } from './k6-results.ts';
import { percentiles, type ReconciledOrder } from './reconcile.ts';
import type { Sample } from './cpu.ts';

export interface Series {
  readonly bucketSeconds: number;
  readonly throughput: { t: number; series: string; perSecond: number }[];
  readonly latency: { t: number; percentile: string; ms: number }[];
  readonly failures: { t: number; series: string; rate: number }[];
  readonly cpu: { t: number; process: string; cores: number; rank: number }[];
}

/** About 60 buckets over the run, at least 5 s each. */
export const bucketSecondsFor = (seconds: number): number => Math.max(5, Math.round(seconds / 60));

export function buildSeries(input: {
  readonly startedAt: number;
  readonly seconds: number;
  readonly submits: readonly SubmitSample[];
  readonly orders: readonly ReconciledOrder[];
  readonly samples: readonly Sample[];
  readonly topProcesses?: number;
}): Series {
  const b = bucketSecondsFor(input.seconds);
  const bucketOf = (at: number): number => Math.floor((at - input.startedAt) / 1000 / b) * b;

  const counts = new Map<string, Map<number, number>>();
  const add = (series: string, t: number): void => {
    const m = counts.get(series) ?? new Map<number, number>();
    m.set(t, (m.get(t) ?? 0) + 1);
    counts.set(series, m);
  };
  for (const s of input.submits) add('offered (sent)', bucketOf(s.at));
  for (const o of input.orders) {
    if (o.acceptToTerminalMs === undefined) continue;
    const end = o.acceptedAt + o.acceptToTerminalMs;
    add('terminal', bucketOf(end));
    if (o.outcome === 'completed') add('completed', bucketOf(end));
  }
  const last = Math.max(0, ...[...counts.values()].flatMap((m) => [...m.keys()]));
  const throughput: Series['throughput'] = [];
  for (const [series, m] of counts)
    for (let t = 0; t <= last; t += b) throughput.push({ t, series, perSecond: (m.get(t) ?? 0) / b });

  const byAcceptance = new Map<number, ReconciledOrder[]>();
  for (const o of input.orders) {
    const t = bucketOf(o.acceptedAt);
    byAcceptance.set(t, [...(byAcceptance.get(t) ?? []), o]);
  }
  const latency: Series['latency'] = [];
  const failures: Series['failures'] = [];
  for (const [t, orders] of [...byAcceptance].sort((x, y) => x[0] - y[0])) {
    const p = percentiles(
      orders.flatMap((o) =>
        o.acceptToTerminalMs !== undefined && o.kind !== 'review' ? [o.acceptToTerminalMs] : [],
      ),
    );
    if (p)
      latency.push(
        { t, percentile: 'p50', ms: p.p50 },
        { t, percentile: 'p95', ms: p.p95 },
        { t, percentile: 'p99', ms: p.p99 },
      );
    const n = orders.length;
    const technical = orders.filter((o) => o.outcome === 'failed' || o.outcome === 'running').length;
    const declined = orders.filter((o) => o.outcome === 'declined').length;
    failures.push({ t, series: 'technical (failed or still running)', rate: technical / n });
    failures.push({ t, series: 'declined (business)', rate: declined / n });
  }

  const cpu: Series['cpu'] = [];
  const totals = new Map<string, number>();
  const first = input.samples[0];
  const lastSample = input.samples.at(-1);
  if (first && lastSample)
    for (const [name, end] of lastSample.processes)
      totals.set(name, end.cpuMs - (first.processes.get(name)?.cpuMs ?? end.cpuMs));
  const top = [...totals]
    .sort((x, y) => y[1] - x[1])
    .slice(0, input.topProcesses ?? 8)
    .map(([n]) => n);
  const rank = (name: string): number => (top.includes(name) ? top.indexOf(name) : top.length);
  for (let i = 1; i < input.samples.length; i++) {
    const prev = input.samples[i - 1]!;
    const cur = input.samples[i]!;
    const dt = cur.at - prev.at;
    if (dt <= 0) continue;
    const t = Math.round((cur.at - input.startedAt) / 1000);
    let other = 0;
    for (const [name, s] of cur.processes) {
      const p = prev.processes.get(name);
      if (!p) continue;
      const cores = Math.max(0, s.cpuMs - p.cpuMs) / dt;
      if (top.includes(name)) cpu.push({ t, process: name, cores, rank: rank(name) });
      else other += cores;
    }
    cpu.push({ t, process: 'other stack processes', cores: other, rank: top.length });
  }
  return { bucketSeconds: b, throughput, latency, failures, cpu };
}
