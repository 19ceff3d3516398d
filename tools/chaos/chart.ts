// One chart per experiment: orders/s, failure rate and accept → terminal latency over the run, stacked, each
// with the fault window shaded. The series are the load tool's (tools/load/series.ts); Vega-Lite draws them.
import type { TopLevelSpec } from 'vega-lite';
import type { Series } from '../load/series.ts';

export interface FaultWindow {
  /** Seconds since the load started. */
  readonly from: number;
  readonly to: number;
}

const width = 720;
const height = 170;

function panel(
  title: string,
  values: object[],
  line: object,
  y: object,
  color: object,
  fault: FaultWindow,
  seconds: number,
): object {
  // One x domain for the three panels, so the fault window lines up.
  const x = {
    field: 't',
    type: 'quantitative',
    title: 'seconds since the load started',
    scale: { domain: [0, seconds] },
  };
  return {
    title,
    width,
    height,
    layer: [
      {
        data: { values: [{ from: fault.from, to: fault.to, label: 'fault' }] },
        mark: { type: 'rect', color: '#d62728', opacity: 0.12 },
        encoding: {
          x: { field: 'from', type: 'quantitative', scale: { domain: [0, seconds] } },
          x2: { field: 'to' },
        },
      },
      { data: { values }, mark: line, encoding: { x, y, color } },
    ],
  };
}

export function chaosChartSpec(title: string, s: Series, fault: FaultWindow, seconds: number): TopLevelSpec {
  const latency = s.latency.map((p) => ({ ...p, s: p.ms / 1000 }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${title} (fault window shaded)`,
    config: { font: 'sans-serif', legend: { orient: 'right' } },
    resolve: { scale: { color: 'independent' } },
    vconcat: [
      panel(
        'Orders/s: offered, ended, completed',
        s.throughput,
        { type: 'line', interpolate: 'step-after' },
        { field: 'perSecond', type: 'quantitative', title: 'orders/s' },
        { field: 'series', type: 'nominal', title: null },
        fault,
        seconds,
      ),
      panel(
        'Failure rate (by acceptance time)',
        s.failures,
        { type: 'line', interpolate: 'step-after' },
        { field: 'rate', type: 'quantitative', title: 'share of orders', axis: { format: '%' } },
        { field: 'series', type: 'nominal', title: null },
        fault,
        seconds,
      ),
      panel(
        'Accept → terminal latency (by acceptance time)',
        latency,
        { type: 'line', point: true },
        { field: 's', type: 'quantitative', title: 'seconds' },
        { field: 'percentile', type: 'nominal', title: null, sort: ['p50', 'p95', 'p99'] },
        fault,
        seconds,
      ),
    ],
  } as TopLevelSpec;
}
