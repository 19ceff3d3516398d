// The comparison's report, in `.orderflow/reports/compare/<run-id>/`: report.json (everything), report.md (the
// table a release manager reads, the verdict with its reasons) and two Vega-Lite charts as SVG: how each
// pipeline's orders ended, and each order's checkout time by when it was sent. The terminal gets the table.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { stateDir } from '../../platform/paths.ts';
import { renderSvg } from '../load/charts.ts';
import type { Percentiles } from '../load/reconcile.ts';
import type { CompareReport } from './run.ts';
import { failedCheckouts, PIPELINES, type Pipeline } from './verdict.ts';

export const reportsDir = join(stateDir, 'reports', 'compare');

const LABEL: Record<Pipeline, string> = {
  orchestrated: 'orchestrated (ADR-0047 saga)',
  legacy: 'legacy (ADR-0031 synchronous)',
};

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const secs = (ms: number | undefined): string => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
const dist = (p: Percentiles | undefined): string =>
  p ? `${secs(p.p50)} / ${secs(p.p95)} / ${secs(p.p99)} / ${secs(p.max)}` : '–';

/** The rows of the side-by-side table: what, orchestrated, legacy. */
export function comparisonRows(r: CompareReport): string[][] {
  const cell = (f: (p: Pipeline) => string): string[] => PIPELINES.map(f);
  const fig = (p: Pipeline) => r.pipelines[p].figures;
  const rate = (p: Pipeline) => r.verdict.failedCheckouts[p];
  return [
    ['entry point', ...cell((p) => r.pipelines[p].entry)],
    ['orders/h offered', ...cell((p) => String(r.pipelines[p].ratePerHour))],
    ['orders sent', ...cell((p) => String(fig(p).sent))],
    ['completed', ...cell((p) => String(fig(p).completed))],
    ['declined (business)', ...cell((p) => String(fig(p).declined))],
    [
      '**failed checkouts**',
      ...cell(
        (p) =>
          `**${failedCheckouts(fig(p))} (${pct(rate(p).rate)})**, 95% CI ${pct(rate(p).low)}–${pct(rate(p).high)}`,
      ),
    ],
    ['  of which still running at the drain bound', ...cell((p) => String(fig(p).running))],
    ['  of which not accepted', ...cell((p) => String(fig(p).notAccepted))],
    [
      '**orphaned payments** (charged, order not completed)',
      ...cell((p) => `**${fig(p).orphanedPayments}**`),
    ],
    ['double charges', ...cell((p) => String(fig(p).doubleCharges))],
    ['lost orders', ...cell((p) => String(fig(p).lostOrders))],
    [
      'failure types',
      ...cell((p) => r.pipelines[p].failureTypes.map((t) => `${t.type} ${t.count}`).join(', ') || 'none'),
    ],
    [
      'invariant violations',
      ...cell((p) => {
        const inv = r.pipelines[p].invariants;
        if (!inv) return 'not read';
        const broken = Object.entries(inv).filter(([, n]) => n > 0);
        return broken.map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
      }),
    ],
    [
      'checkout time p50 / p95 / p99 / max (accepted → ended)',
      ...cell((p) => dist(r.pipelines[p].checkoutMs)),
    ],
    ['POST /orders response p50 / p95 / p99 / max', ...cell((p) => dist(r.pipelines[p].responseMs))],
  ];
}

const table = (header: string[], rows: string[][]): string =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

export function verdictLine(r: CompareReport): string {
  const v = r.verdict;
  const head = { pass: 'PASS', fail: 'FAIL', invalid: 'INVALID' }[v.status];
  const gap =
    v.status === 'invalid'
      ? ''
      : ` — legacy ${pct(v.failedCheckouts.legacy.rate)} vs orchestrated ${pct(v.failedCheckouts.orchestrated.rate)} failed checkouts (${v.separated ? 'apart beyond chance: the 95% intervals do not overlap' : 'the 95% intervals overlap'})`;
  return `${head}${gap}`;
}

export function renderMarkdown(r: CompareReport): string {
  const o = r.options;
  return `# Side by side: ${r.scenario.title}

Run \`${r.runId}\`: \`npm run compare -- ${r.scenario.name} --rate ${o.ratePerHour}/h --duration ${o.seconds}s --drain ${o.drainSeconds}s --legacy-share ${o.legacyShare} --mix ${o.mix}\`

- fault: ${r.scenario.fault} (on from the first order to the end of the drain, on both pipelines)
- window: ${new Date(r.startedAt).toISOString()} → sent until ${new Date(r.sentUntil).toISOString()}, drained ${new Date(r.drainedAt).toISOString()}
- failed checkout: a technical failure (deadline, timeout, 5xx), an order still running at the drain bound, or one never accepted; declines are apart

## Verdict: ${verdictLine(r)}

${r.verdict.reasons.length > 0 ? r.verdict.reasons.map((x) => `- ${x}`).join('\n') : "- the orchestrated pipeline held ADR-0047's objective under the fault: < 1% failed checkouts, no orphaned payment, no double charge, no lost order"}

${table(['', LABEL.orchestrated, LABEL.legacy], comparisonRows(r))}

![outcomes](outcomes.svg)

![checkout time](checkout-time.svg)
`;
}

export function chartSpecs(r: CompareReport): Record<string, TopLevelSpec> {
  const outcomes = PIPELINES.flatMap((p) => {
    const f = r.pipelines[p].figures;
    return [
      { pipeline: LABEL[p], outcome: 'completed', orders: f.completed },
      { pipeline: LABEL[p], outcome: 'declined', orders: f.declined },
      { pipeline: LABEL[p], outcome: 'failed checkout', orders: failedCheckouts(f) },
      { pipeline: LABEL[p], outcome: 'orphaned payment', orders: f.orphanedPayments },
    ];
  });
  const base = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 640,
    config: { font: 'sans-serif' },
  };
  return {
    outcomes: {
      ...base,
      title: `${r.scenario.title}: how the orders ended`,
      height: 220,
      data: { values: outcomes },
      mark: { type: 'bar' },
      encoding: {
        y: {
          field: 'outcome',
          type: 'nominal',
          title: null,
          sort: ['completed', 'declined', 'failed checkout', 'orphaned payment'],
        },
        yOffset: { field: 'pipeline', type: 'nominal' },
        x: { field: 'orders', type: 'quantitative', title: 'orders' },
        color: {
          field: 'pipeline',
          type: 'nominal',
          title: null,
          legend: { orient: 'bottom', labelLimit: 0 },
        },
      },
    },
    'checkout-time': {
      ...base,
      title: 'Checkout time of each order (accepted → ended), by when it was sent',
      height: 260,
      data: {
        values: r.points
          .filter((p) => p.checkoutMs !== undefined)
          .map((p) => ({ ...p, pipeline: LABEL[p.pipeline], seconds: p.checkoutMs! / 1000 })),
      },
      mark: { type: 'point', filled: true, opacity: 0.6 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'seconds since the first order' },
        y: { field: 'seconds', type: 'quantitative', title: 'checkout time (s)' },
        color: {
          field: 'pipeline',
          type: 'nominal',
          title: null,
          legend: { orient: 'bottom', labelLimit: 0 },
        },
        shape: {
          field: 'outcome',
          type: 'nominal',
          title: null,
          legend: { orient: 'bottom', labelLimit: 0 },
        },
      },
    },
  };
}

export async function writeReport(r: CompareReport, dir: string): Promise<string[]> {
  const files = [join(dir, 'report.json'), join(dir, 'report.md')];
  writeFileSync(files[0]!, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(files[1]!, renderMarkdown(r));
  for (const [name, spec] of Object.entries(chartSpecs(r))) {
    const file = join(dir, `${name}.svg`);
    writeFileSync(file, await renderSvg(spec));
    files.push(file);
  }
  return files;
}

/** The one-screen answer: the table as plain columns and the verdict. */
export function renderTerminal(r: CompareReport, dir: string): string {
  const rows = [
    ['', 'orchestrated', 'legacy'],
    ...comparisonRows(r).map((row) => row.map((c) => c.replaceAll('**', ''))),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) =>
    row
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  return [
    `COMPARE ${r.scenario.name} (${r.scenario.fault}) run ${r.runId}`,
    ...lines,
    `VERDICT ${verdictLine(r)}`,
    ...r.verdict.reasons.map((x) => `  - ${x}`),
    `report: ${join(dir, 'report.md')}`,
  ].join('\n');
}
