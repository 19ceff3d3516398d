// The run's report: report.json (the figures), report.md (for a person, with the charts) and the one-screen
// verdict table the terminal ends with.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartSpecs, renderSvg } from './charts.ts';
import { buildSeries } from './series.ts';
import type { PhaseResult } from './run.ts';
import type { CostPerOrder } from './cost.ts';
import type { Verdict, VerdictStatus } from './verdict.ts';

export interface TracingComparison {
  readonly on: PhaseSummary;
  readonly off: PhaseSummary;
  /** off ÷ on */
  readonly throughputRatio: number;
  /** Net of idle CPU. */
  readonly cpuPerOrderRatio: number;
  readonly grossCpuPerOrderRatio: number;
  readonly cpuBoundRatio: number;
}

export interface BreakpointResult {
  /** The highest step rate whose verdict passed; undefined when even the first step missed. */
  readonly highestPassingRate: number | undefined;
  readonly firstFailingRate: number | undefined;
  readonly steps: readonly { rate: number; status: VerdictStatus; reasons: string[] }[];
}

export interface RunReport {
  readonly runId: string;
  readonly profile: string;
  readonly mix: string;
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly status: VerdictStatus;
  readonly exitCode: 0 | 1 | 2;
  readonly phases: PhaseSummary[];
  readonly breakpoint?: BreakpointResult;
  readonly tracing?: TracingComparison;
  readonly cost?: CostPerOrder;
  readonly costError?: string;
  readonly charts: string[];
}

export type PhaseSummary = Omit<PhaseResult, 'orders' | 'submits' | 'samples'> & {
  readonly reconciledOrders: number;
  readonly allKeysCarryRunId: boolean;
};

export function summarize(p: PhaseResult): PhaseSummary {
  // The raw samples stay out of report.json (k6.csv and series.json hold them).
  const { orders, submits, samples, ...rest } = p;
  void submits;
  void samples;
  return {
    ...rest,
    reconciledOrders: orders.length,
    allKeysCarryRunId: orders.every((o) => o.key.startsWith(`${p.runId}.`)),
  };
}

const n0 = (x: number): string => Math.round(x).toLocaleString('en-US');
const n1 = (x: number): string => x.toFixed(1);
const ms = (x: number | undefined): string => (x === undefined ? '–' : `${Math.round(x)} ms`);
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r, j) => {
      const line = r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
      return j === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

function md(rows: string[][]): string {
  const [head, ...body] = rows;
  return [
    `| ${head!.join(' | ')} |`,
    `| ${head!.map(() => '---').join(' | ')} |`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function checkRows(v: Verdict): string[][] {
  return [
    ['check', 'measured', 'limit', ''],
    ...v.checks.map((c) => [c.name, c.value, c.limit, c.ok ? 'ok' : c.gating ? 'MISSED' : 'over (reported)']),
  ];
}

function phaseRows(phases: readonly PhaseSummary[]): string[][] {
  return [
    [
      'phase',
      'orders/h',
      'sent',
      'completed',
      'declined',
      'failed',
      'running',
      'accept p99',
      'e2e p99',
      'CPU ms/order',
      'verdict',
    ],
    ...phases.map((p) => [
      p.label,
      p.schedule.stages
        ? `ramp ≤${n0(Math.max(...p.schedule.stages.map((s) => s.rate)))}`
        : n0(p.schedule.rate),
      n0(p.sent),
      n0(p.counts.completed),
      n0(p.counts.declined),
      n0(p.counts.failed),
      n0(p.counts.running),
      ms(p.accept?.p99),
      ms(p.acceptToTerminal?.p99),
      n1(p.efficiency.netCpuMsPerOrder),
      p.verdict.status.toUpperCase(),
    ]),
  ];
}

/** The one-screen verdict the terminal ends with. */
export function terminalVerdict(r: RunReport, dir: string): string {
  const last = r.phases.at(-1);
  const lines = [`\n${r.profile} (${r.mix} mix), run ${r.runId}`, table(phaseRows(r.phases))];
  const judged = r.breakpoint ? undefined : r.tracing ? r.tracing.on : last;
  if (judged) lines.push('', table(checkRows(judged.verdict)));
  for (const p of r.phases)
    for (const reason of p.verdict.invalidReasons) lines.push(`INVALID (${p.label}): ${reason}`);
  if (last) {
    const e = last.efficiency;
    lines.push(
      '',
      `efficiency: ${n1(e.netCpuMsPerOrder)} CPU-ms/order net of idle (${n1(e.cpuMsPerOrder)} gross) → CPU-bound ≈ ${n0(e.cpuBoundOrdersPerHour)} orders/h on this machine (one fraud inference ${n1(e.machineSpeed.fraudInferenceMs)} CPU-ms); achieved ${n0(e.achievedOrdersPerHour)}/h = ${pct(e.achievedOverLimit)} of it`,
      `top processes (CPU-ms/order): ${e.processes
        .slice(0, 6)
        .map((p) => `${p.name} ${n1(p.cpuMsPerOrder)}`)
        .join(', ')}`,
    );
  }
  if (r.breakpoint)
    lines.push(
      '',
      r.breakpoint.highestPassingRate !== undefined
        ? `BREAKPOINT: highest sustained rate that met the SLO: ${n0(r.breakpoint.highestPassingRate)} orders/h${r.breakpoint.firstFailingRate ? ` (missed at ${n0(r.breakpoint.firstFailingRate)})` : ' (no step missed: raise the maximum)'}`
        : 'BREAKPOINT: even the first step missed the SLO',
    );
  if (r.tracing)
    lines.push(
      '',
      `tracing off ÷ on: throughput ${r.tracing.throughputRatio.toFixed(3)}, CPU per order ${r.tracing.cpuPerOrderRatio.toFixed(3)} net of idle (${r.tracing.grossCpuPerOrderRatio.toFixed(3)} gross), CPU-bound orders/h ${r.tracing.cpuBoundRatio.toFixed(3)}`,
    );
  if (r.cost)
    lines.push(
      `cost: ${r.cost.actionsPerOrder.toFixed(2)} Temporal actions/order (${r.cost.orders} histories) → $${(r.cost.perOrder.adrUsd * 1000).toFixed(3)} per 1,000 orders at the ADR's $25/M, $${(r.cost.perOrder.cloudTieredUsd * 1000).toFixed(3)} at Cloud's tiers (ADR: ${r.cost.adr.actionsPerOrder}/order)`,
    );
  lines.push(
    '',
    `VERDICT: ${r.status.toUpperCase()} (exit ${r.exitCode})   report: ${join(dir, 'report.md')}`,
  );
  return lines.join('\n');
}

function markdown(r: RunReport, dir: string): string {
  const out: string[] = [
    `# Load run ${r.runId}`,
    '',
    `\`${r.command}\` — profile **${r.profile}**, ${r.mix} mix, ${r.startedAt} → ${r.finishedAt}.`,
    '',
    `**Verdict: ${r.status.toUpperCase()}** (exit ${r.exitCode}).`,
    '',
    md(phaseRows(r.phases)),
  ];
  if (r.breakpoint)
    out.push(
      '',
      `Breakpoint: highest step that met the SLO **${r.breakpoint.highestPassingRate === undefined ? 'none' : `${n0(r.breakpoint.highestPassingRate)} orders/h`}**` +
        (r.breakpoint.firstFailingRate ? `; missed at ${n0(r.breakpoint.firstFailingRate)} orders/h.` : '.'),
    );
  if (r.tracing)
    out.push(
      '',
      `Tracing off ÷ on: throughput ${r.tracing.throughputRatio.toFixed(3)}, net CPU-ms per order ${r.tracing.cpuPerOrderRatio.toFixed(3)} (gross ${r.tracing.grossCpuPerOrderRatio.toFixed(3)}), CPU-bound orders/h ${r.tracing.cpuBoundRatio.toFixed(3)}.`,
    );
  for (const p of r.phases) {
    const e = p.efficiency;
    out.push(
      '',
      `## ${p.label}`,
      '',
      md(checkRows(p.verdict)),
      ...p.verdict.invalidReasons.map((x) => `\n- INVALID: ${x}`),
      '',
      `Sent ${n0(p.sent)} orders (k6 submit requests; ${n0(p.droppedIterations)} iterations dropped), reconciled ${n0(p.reconciledOrders)} from the order store (every key starts with the run id: ${p.allKeysCarryRunId ? 'yes' : 'NO'}); not accepted ${p.outcomes.notAccepted}, missing ${p.outcomes.missing}; reviews decided by the reviewer scenario: ${p.reviewsDecided}.`,
      '',
      md([
        ['outcome type', 'class', 'orders'],
        ...p.failureTypes.map((f) => [f.type, f.outcome, String(f.count)]),
      ]),
      '',
      md([
        ['latency', 'count', 'p50', 'p95', 'p99', 'max'],
        ...(
          [
            ['accept (POST /orders → 202)', p.accept],
            ['accept → terminal (review orders excluded)', p.acceptToTerminal],
          ] as const
        ).map(([name, x]) => [name, x ? n0(x.count) : '0', ms(x?.p50), ms(x?.p95), ms(x?.p99), ms(x?.max)]),
      ]),
      '',
      `Efficiency: ${n1(e.netCpuMsPerOrder)} CPU-ms per order net of the stack's idle ${e.idleStackCores.toFixed(2)} cores (${n1(e.cpuMsPerOrder)} gross) → CPU-bound ≈ **${n0(e.cpuBoundOrdersPerHour)} orders/h** on this machine; achieved ${n0(e.achievedOrdersPerHour)} orders/h = ${pct(e.achievedOverLimit)} of that. Machine busy ${pct(e.machineBusyShare)} of its cores over the window (other tenants included); k6 itself used ${n0(e.k6CpuMs)} CPU-ms. Machine speed: one fraud inference (${n0(e.machineSpeed.iterations)} iterations) took ${n1(e.machineSpeed.fraudInferenceMs)} CPU-ms here (median of ${e.machineSpeed.runs}; ~30 ms on the machine the project was built on): compare CPU figures across machines by this ratio.`,
      '',
      md([
        ['process', 'CPU ms', 'CPU ms/order', 'idle before the run (% of a core)', 'peak RSS MB'],
        ...e.processes.map((x) => [
          x.name,
          n0(x.cpuMs),
          n1(x.cpuMsPerOrder),
          (x.idleCores * 100).toFixed(1),
          n0(x.peakRssMb),
        ]),
      ]),
      '',
      `Prometheus: k6 iterations ${p.prometheus.k6Iterations ?? '–'}, dropped ${p.prometheus.k6DroppedIterations ?? '–'}, k6 submit p99 ${ms(p.prometheus.k6SubmitP99Ms)}; ADR counter over the window (stack-wide) ${JSON.stringify(p.prometheus.workflowStatus)}; workflow duration p99 ${ms(p.prometheus.workflowDurationP99Ms)}${p.prometheus.error ? ` (error: ${p.prometheus.error})` : ''}.`,
    );
  }
  if (r.cost)
    out.push(
      '',
      '## Cost per order',
      '',
      `${r.cost.actionsPerOrder.toFixed(2)} billable Temporal actions per order, counted from ${r.cost.orders} sampled histories (ADR: ${r.cost.adr.actionsPerOrder}). Per 1,000 orders: $${(r.cost.perOrder.adrUsd * 1000).toFixed(3)} at the ADR's $25/M; $${(r.cost.perOrder.cloudTieredUsd * 1000).toFixed(3)} at Temporal Cloud's tiers ($${r.cost.perOrder.cloudTieredUsdPerMillion.toFixed(2)}/M average for a month at 15,000 orders/h); $${(r.cost.perOrder.cloudDeveloperUsd * 1000).toFixed(3)} on the Developer plan. The ADR's own figure: $${(r.cost.adr.usdPerOrder * 1000).toFixed(3)} per 1,000 orders.`,
      '',
      md([['action kind', 'count'], ...Object.entries(r.cost.actions).map(([k, v]) => [k, String(v)])]),
    );
  else if (r.costError) out.push('', `Cost per order: not computed (${r.costError}).`);
  if (r.charts.length > 0) out.push('', '## Charts', '', ...r.charts.map((c) => `![${c}](${c})\n`));
  out.push('', `Files: ${dir}`);
  return out.join('\n') + '\n';
}

/** Writes report.json, report.md and the charts (SVG) into `dir`. */
export async function writeReport(
  r: Omit<RunReport, 'charts'>,
  results: readonly PhaseResult[],
  dir: string,
): Promise<RunReport> {
  const charts: string[] = [];
  const first = results[0];
  if (first) {
    const startedAt = first.startedAt;
    const end = Math.max(...results.map((p) => p.drainedAt));
    const series = buildSeries({
      startedAt,
      seconds: (end - startedAt) / 1000,
      submits: results.flatMap((p) => p.submits),
      orders: results.flatMap((p) => p.orders),
      samples: results.flatMap((p) => p.samples),
    });
    for (const [name, spec] of Object.entries(chartSpecs(series))) {
      try {
        writeFileSync(join(dir, `${name}.svg`), await renderSvg(spec));
        charts.push(`${name}.svg`);
      } catch (err) {
        console.error(`[load] chart ${name} not drawn: ${(err as Error).message}`);
      }
    }
    writeFileSync(join(dir, 'series.json'), JSON.stringify(series));
  }
  const report: RunReport = { ...r, charts };
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report, null, 2));
  writeFileSync(join(dir, 'report.md'), markdown(report, dir));
  return report;
}
