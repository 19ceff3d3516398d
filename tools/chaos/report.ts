// The experiment's report, in .orderflow/reports/chaos/<run id>/ (git-ignored): report.json (the figures, a
// journal in Chaos Toolkit's sense), report.md (for a person) and chart.svg (orders/s, failure rate, latency,
// fault window shaded); and the one-screen verdict table the terminal ends with.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSvg } from '../load/charts.ts';
import { buildSeries } from '../load/series.ts';
import { chaosChartSpec } from './chart.ts';
import type { Experiment } from './experiment.ts';
import type { ExperimentResult } from './run.ts';

const secs = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

/** report.json: everything but the per-sample series (k6.csv and the chart hold those). */
export function reportJson(r: ExperimentResult, command: string): object {
  const p = r.phase;
  return {
    schemaVersion: 1,
    command,
    runId: r.runId,
    experiment: r.experiment,
    startedAt: new Date(r.startedAt).toISOString(),
    finishedAt: new Date(r.finishedAt).toISOString(),
    status: r.verdict.status,
    exitCode: r.verdict.exitCode,
    ...(r.error ? { error: r.error } : {}),
    fault: r.fault && {
      start: new Date(r.fault.startMs).toISOString(),
      end: new Date(r.fault.endMs).toISOString(),
      seconds: (r.fault.endMs - r.fault.startMs) / 1000,
    },
    verdict: r.verdict,
    probes: r.probes,
    timeToDetectMs: r.detect?.firedAfterMs ?? null,
    timeToDiagnoseMs: r.diagnose?.namedAfterMs ?? null,
    detect: r.detect ?? null,
    diagnose: r.diagnose ?? null,
    rollback: r.rollback,
    load: p && {
      rate: p.schedule.rate,
      seconds: p.schedule.seconds,
      sent: p.sent,
      outcomes: p.outcomes,
      droppedIterations: p.droppedIterations,
      acceptP99Ms: p.accept?.p99 ?? null,
      acceptToTerminal: p.acceptToTerminal ?? null,
      failureTypes: p.failureTypes,
    },
    orders: {
      total: r.orders.length,
      ...Object.fromEntries(
        (['completed', 'declined', 'failed', 'running'] as const).map((k) => [
          k,
          r.orders.filter((o) => o.outcome === k).length,
        ]),
      ),
    },
  };
}

export function verdictTable(r: ExperimentResult): string {
  const v = r.verdict;
  const rows = v.checks.map((c) => [c.ok ? 'ok  ' : c.gating ? 'FAIL' : 'miss', c.name, c.value, c.limit]);
  const w = [4, ...[1, 2].map((i) => Math.min(70, Math.max(...rows.map((row) => row[i]!.length))))];
  const lines = [
    `${r.experiment.name}: ${v.status.toUpperCase()} (exit ${v.exitCode})`,
    ...rows.map((row) => `  ${row[0]}  ${row[1]!.padEnd(w[1]!)}  ${row[2]!.padEnd(w[2]!)}  ${row[3]}`),
    ...v.invalidReasons.map((reason) => `  INVALID: ${reason}`),
    `  time to detect ${secs(r.detect?.firedAfterMs)}  time to diagnose ${secs(r.diagnose?.namedAfterMs)}  report ${r.dir}`,
  ];
  return lines.join('\n');
}

function markdown(r: ExperimentResult, command: string, chart: string | undefined): string {
  const e: Experiment = r.experiment;
  const p = r.phase;
  const v = r.verdict;
  const out = [
    `# Chaos: ${e.title}`,
    '',
    `**${v.status.toUpperCase()}** (exit ${v.exitCode}) — run \`${r.runId}\`, \`${command}\``,
    '',
    e.story,
    '',
    `- load: ${p ? `${p.schedule.rate} orders/h for ${p.schedule.seconds} s (${p.sent} sent, mix ${e.load.mix})` : 'did not run'}`,
    `- fault: ${r.fault ? `${new Date(r.fault.startMs).toISOString()} for ${secs(r.fault.endMs - r.fault.startMs)}` : 'not injected'}`,
    `- orders accepted during the fault: ${v.inFault.sent}, technical failures among them ${v.inFault.technical}` +
      (v.declared
        ? `; declared failures ${v.declared.failures}, not compensated cleanly ${v.declared.notClean}`
        : ''),
    `- time to detect: ${r.detect ? `${r.detect.alert} ${secs(r.detect.firedAfterMs)}` : 'no alert expected'}`,
    `- time to diagnose: ${r.diagnose ? `${r.diagnose.expected} ${secs(r.diagnose.namedAfterMs)}` : 'not measured'}`,
    ...(r.error ? [`- error: ${r.error}`] : []),
    '',
    '## Verdict',
    '',
    '| check | value | limit | |',
    '| --- | --- | --- | --- |',
    ...v.checks.map(
      (c) =>
        `| ${c.name} | ${c.value} | ${c.limit} | ${c.ok ? 'ok' : c.gating ? '**FAIL**' : 'missed (not gating)'} |`,
    ),
    ...v.invalidReasons.map((reason) => `\nINVALID: ${reason}`),
    '',
    '## Steady-state hypothesis',
    '',
    '| phase | probe | value | |',
    '| --- | --- | --- | --- |',
    ...r.probes.map(
      (pr) => `| ${pr.phase} | ${pr.name} | ${pr.value} | ${pr.ok ? 'holds' : '**does not hold**'} |`,
    ),
    '',
    '## Method and rollbacks',
    '',
    ...r.rollback.undone.map((u) => `- rolled back: ${u}`),
    ...r.rollback.failed.map((f) => `- rollback FAILED: ${f}`),
    ...r.rollback.leftovers.map((f) => `- left over: ${f}`),
  ];
  if (p && p.failureTypes.length > 0)
    out.push(
      '',
      '## Failures by type',
      '',
      ...p.failureTypes.map((f) => `- ${f.type} (${f.outcome}): ${f.count}`),
    );
  if (chart) out.push('', '## Chart', '', `![${chart}](${chart})`);
  return out.join('\n') + '\n';
}

/** Writes report.json, report.md and chart.svg into the run's folder. */
export async function writeChaosReport(r: ExperimentResult, command: string): Promise<void> {
  let chart: string | undefined;
  const p = r.phase;
  if (p && r.fault) {
    const series = buildSeries({
      startedAt: p.startedAt,
      seconds: (p.drainedAt - p.startedAt) / 1000,
      submits: p.submits,
      orders: p.orders,
      samples: [],
    });
    const window = { from: (r.fault.startMs - p.startedAt) / 1000, to: (r.fault.endMs - p.startedAt) / 1000 };
    try {
      writeFileSync(
        join(r.dir, 'chart.svg'),
        await renderSvg(
          chaosChartSpec(r.experiment.title, series, window, (p.drainedAt - p.startedAt) / 1000),
        ),
      );
      chart = 'chart.svg';
    } catch (err) {
      console.error(`[chaos] chart not drawn: ${(err as Error).message}`);
    }
  }
  writeFileSync(join(r.dir, 'report.json'), JSON.stringify(reportJson(r, command), null, 2));
  writeFileSync(join(r.dir, 'report.md'), markdown(r, command, chart));
}
