import { describe, expect, it } from 'vitest';
import { renderSvg } from '../load/charts.ts';
import { buildSeries } from '../load/series.ts';
import type { ReconciledOrder } from '../load/reconcile.ts';
import { chaosChartSpec } from './chart.ts';

const t0 = Date.parse('2026-12-02T10:00:00Z');
const orders: ReconciledOrder[] = Array.from({ length: 90 }, (_, i) => ({
  orderId: `ord_${i}`,
  key: `run.o.${i}.ordinary`,
  kind: 'ordinary',
  step: undefined,
  outcome: i >= 30 && i < 45 ? 'failed' : 'completed',
  failureType: undefined,
  acceptedAt: t0 + i * 1000,
  acceptToTerminalMs: 800 + (i % 7) * 100,
}));

describe('chaos chart', () => {
  it('when an experiment ran, then one SVG shows orders/s, failure rate and latency with the fault window shaded in each', async () => {
    const series = buildSeries({ startedAt: t0, seconds: 100, submits: [], orders, samples: [] });
    const spec = chaosChartSpec('test', series, { from: 30, to: 45 }, 100);
    const panels = (spec as { vconcat: { title: string; layer: { mark: { type: string } }[] }[] }).vconcat;
    expect(panels.map((p) => p.title)).toEqual([
      'Orders/s: offered, ended, completed',
      'Failure rate (by acceptance time)',
      'Accept → terminal latency (by acceptance time)',
    ]);
    expect(panels.every((p) => p.layer[0]!.mark.type === 'rect')).toBe(true);
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    // Three shaded windows, one per panel.
    expect(svg.match(/fill="#d62728"/g)?.length).toBe(3);
  });
});
