import { describe, expect, it } from 'vitest';
import { renderSvg } from '../load/charts.ts';
import { chartSpecs, comparisonRows, renderMarkdown, renderTerminal } from './report.ts';
import type { CompareReport, PipelineReport } from './run.ts';
import { octoberIncident } from './scenarios.ts';
import { judgeComparison, type PipelineFigures } from './verdict.ts';

const figures = (over: Partial<PipelineFigures>): PipelineFigures => ({
  sent: 100,
  droppedIterations: 0,
  completed: 100,
  declined: 0,
  failed: 0,
  running: 0,
  notAccepted: 0,
  orphanedPayments: 0,
  doubleCharges: 0,
  lostOrders: 0,
  ...over,
});
const pipeline = (entry: string, f: PipelineFigures, p50: number): PipelineReport => ({
  entry,
  keyPrefix: 'r-x.',
  ratePerHour: 4000,
  figures: f,
  failureTypes: f.failed ? [{ type: 'CheckoutDeadlineExceeded', outcome: 'failed', count: f.failed }] : [],
  invariants: undefined,
  violations: [],
  checkoutMs: { count: f.sent, p50, p95: p50 * 1.1, p99: p50 * 1.2, max: p50 * 1.3 },
  responseMs: { count: f.sent, p50, p95: p50, p99: p50, max: p50 },
});
const orchestrated = figures({});
const legacy = figures({ completed: 77, failed: 23, orphanedPayments: 9 });
const report: CompareReport = {
  runId: 'r-x',
  scenario: { name: 'october-incident', title: octoberIncident.title, fault: 'inventory +3 s' },
  options: {
    ratePerHour: 8000,
    seconds: 180,
    drainSeconds: 90,
    legacyShare: 0.5,
    mix: 'happy',
    runId: 'r-x',
  },
  startedAt: 0,
  sentUntil: 180_000,
  drainedAt: 200_000,
  pipelines: {
    orchestrated: pipeline('http://127.0.0.1:8080', orchestrated, 9400),
    legacy: pipeline('http://127.0.0.1:8090', legacy, 9900),
  },
  points: [
    {
      pipeline: 'legacy',
      t: 1,
      outcome: 'failed',
      checkoutMs: 10_000,
      failureType: 'CheckoutDeadlineExceeded',
    },
    { pipeline: 'orchestrated', t: 1, outcome: 'completed', checkoutMs: 9400, failureType: undefined },
  ],
  verdict: judgeComparison({ pipelines: { orchestrated, legacy } }),
};

describe('the comparison report', () => {
  it('puts both pipelines side by side: failed checkouts with their interval, orphaned payments, latency', () => {
    const rows = new Map(comparisonRows(report).map(([what, ...cells]) => [what!, cells]));
    expect(rows.get('**failed checkouts**')).toEqual([
      '**0 (0.0%)**, 95% CI 0.0%–3.7%',
      '**23 (23.0%)**, 95% CI 15.8%–32.2%',
    ]);
    expect(rows.get('**orphaned payments** (charged, order not completed)')).toEqual(['**0**', '**9**']);
    expect(rows.get('failure types')).toEqual(['none', 'CheckoutDeadlineExceeded 23']);
  });

  it('states the verdict and the command in the markdown and on the terminal', () => {
    const md = renderMarkdown(report);
    expect(md).toMatch(
      /## Verdict: PASS — legacy 23.0% vs orchestrated 0.0% failed checkouts \(apart beyond chance/,
    );
    expect(md).toMatch(/npm run compare -- october-incident --rate 8000\/h --duration 180s/);
    expect(renderTerminal(report, '/tmp/r-x')).toMatch(/VERDICT PASS/);
  });

  it('draws both charts as SVG', async () => {
    for (const [name, spec] of Object.entries(chartSpecs(report))) {
      const svg = await renderSvg(spec);
      expect(svg, name).toMatch(/^<svg/);
      expect(svg, name).toMatch(/legacy \(ADR-0031 synchronous\)/);
    }
  });
});
