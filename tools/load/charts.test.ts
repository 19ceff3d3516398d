import { describe, expect, it } from 'vitest';
import { buildSeries } from './series.ts';
import { chartSpecs, renderSvg } from './charts.ts';
import type { ReconciledOrder } from './reconcile.ts';
import type { Sample } from './cpu.ts';

const t0 = Date.parse('2026-12-02T10:00:00Z');

const orders: ReconciledOrder[] = Array.from({ length: 120 }, (_, i) => ({
  orderId: `ord_${i}`,
  key: `run.o.${i}.ordinary`,
  kind: i % 50 === 0 ? 'review' : 'ordinary',
  step: undefined,
  outcome: i === 7 ? 'failed' : i % 40 === 3 ? 'declined' : 'completed',
  failureType: i === 7 ? 'DownstreamUnavailable' : undefined,
  acceptedAt: t0 + i * 500,
  acceptToTerminalMs: 400 + (i % 10) * 60,
}));

const samples: Sample[] = Array.from({ length: 31 }, (_, i) => ({
  at: t0 + i * 2000,
  machineBusyMs: i * 1500,
  processes: new Map([
    ['temporal', { cpuMs: i * 700, rssKb: 150_000 }],
    ['order-worker', { cpuMs: i * 400, rssKb: 160_000 + i }],
    ['fraud-service', { cpuMs: i * 200, rssKb: 110_000 }],
  ]),
}));

describe('load charts', () => {
  const series = buildSeries({
    startedAt: t0,
    seconds: 60,
    submits: orders.map((o) => ({ at: o.acceptedAt, ms: 20, status: 202 })),
    orders,
    samples,
  });

  it('when a run is bucketed, then offered and completed orders/s, percentiles, failure rates and CPU cores come out', () => {
    expect(series.bucketSeconds).toBe(5);
    const offered = series.throughput.filter((p) => p.series === 'offered (sent)');
    expect(offered.reduce((t, p) => t + p.perSecond * series.bucketSeconds, 0)).toBe(120);
    expect(series.latency.some((p) => p.percentile === 'p99')).toBe(true);
    expect(series.failures.find((p) => p.t === 0 && p.series.startsWith('technical'))?.rate).toBeCloseTo(0.1);
    const temporal = series.cpu.filter((p) => p.process === 'temporal');
    expect(temporal[0]?.cores).toBeCloseTo(0.35);
  });

  it('when the charts are rendered, then each is an SVG drawn by vega (no canvas needed)', async () => {
    for (const [name, spec] of Object.entries(chartSpecs(series))) {
      const svg = await renderSvg(spec);
      expect(svg, name).toMatch(/^<svg/);
      expect(svg.length, name).toBeGreaterThan(2000);
    }
  });
});
