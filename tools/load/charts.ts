// The report's charts, as SVG: Vega-Lite specs compiled to Vega and rendered headless in Node (no canvas
// needed for SVG). Inputs are the time series of series.ts.
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import type { Series } from './series.ts';

const width = 720;
const height = 260;

const base = (title: string, values: object[]) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title,
  width,
  height,
  data: { values },
  config: { font: 'sans-serif', legend: { orient: 'bottom' } },
});

const time = { field: 't', type: 'quantitative', title: 'seconds since start' } as const;

export function chartSpecs(s: Series): Record<string, TopLevelSpec> {
  return {
    throughput: {
      ...base('Offered vs completed orders/s', s.throughput),
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: time,
        y: { field: 'perSecond', type: 'quantitative', title: 'orders/s' },
        color: { field: 'series', type: 'nominal', title: null },
      },
    } as TopLevelSpec,
    latency: {
      ...base('Accept → terminal latency (by acceptance time, review orders excluded)', s.latency),
      mark: { type: 'line', point: true },
      encoding: {
        x: time,
        y: { field: 'ms', type: 'quantitative', title: 'ms', scale: { type: 'symlog' } },
        color: { field: 'percentile', type: 'nominal', title: null, sort: ['p50', 'p95', 'p99'] },
      },
    } as TopLevelSpec,
    failures: {
      ...base('Failure rate (by acceptance time)', s.failures),
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: time,
        y: { field: 'rate', type: 'quantitative', title: 'share of orders sent', axis: { format: '%' } },
        color: { field: 'series', type: 'nominal', title: null },
      },
    } as TopLevelSpec,
    cpu: {
      ...base('CPU per process (cores)', s.cpu),
      mark: { type: 'area' },
      encoding: {
        x: time,
        y: { field: 'cores', type: 'quantitative', title: 'cores', stack: 'zero' },
        color: { field: 'process', type: 'nominal', title: null },
        order: { field: 'rank', type: 'quantitative' },
      },
    } as TopLevelSpec,
  };
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
