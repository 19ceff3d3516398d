// The alert and recording rules: valid for promtool, covered by promtool unit tests (alerts/tests/*.yml), and
// following the conventions (labels, annotations, runbook sections, ADR-0047 thresholds).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tools } from '../stack/tools.ts';
import { rulesSource } from './render-rules.ts';
import {
  alertRules,
  loadYaml,
  markdownAnchors,
  promtoolTestFiles,
  promtoolTestsDir,
  readRules,
  requireBinary,
  run,
  runbooksPath,
} from '../test/support/alerts.ts';

const promtool = (): string => requireBinary(tools.prometheus, 'promtool');
const groups = readRules(rulesSource);
const alerts = alertRules(groups);
const alertNames = [...new Set(alerts.map((a) => a.alert))];
const byName = (name: string) => alerts.filter((a) => a.alert === name);

/** Alerts whose value is a presence flag (absent(), up == 0): their description names labels instead. */
const flagAlerts = new Set([
  'TemporalTaskQueueNoPollers',
  'OrderApiDown',
  'OrderflowTargetDown',
  'OrderWorkflowMetricsAbsent',
  'OrderflowMetricsAbsent',
]);

interface PromtoolTestFile {
  tests: { name?: string; alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

describe('alert rules: alerts/rules/orderflow.rules.yml', () => {
  it('when promtool checks the rules source, then it is valid', () => {
    const res = run(promtool(), ['check', 'rules', rulesSource]);
    expect(res.status, res.output).toBe(0);
    expect(res.output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it.each(promtoolTestFiles())('when promtool runs tests/%s, then every case passes', (file) => {
    const res = run(promtool(), ['test', 'rules', file], promtoolTestsDir);
    expect(res.status, res.output).toBe(0);
    expect(res.output).toContain('SUCCESS');
  });

  it('when an alert exists, then a promtool test makes it fire and another keeps it quiet', () => {
    const cases = promtoolTestFiles().flatMap((file) =>
      (loadYaml(readFileSync(join(promtoolTestsDir, file), 'utf8')) as PromtoolTestFile).tests.flatMap(
        (t) => t.alert_rule_test ?? [],
      ),
    );
    const missing = alertNames.flatMap((name) => {
      const mine = cases.filter((c) => c.alertname === name);
      return [
        ...(mine.some((c) => (c.exp_alerts ?? []).length > 0) ? [] : [`${name}: no case where it fires`]),
        ...(mine.some((c) => (c.exp_alerts ?? []).length === 0)
          ? []
          : [`${name}: no case where it stays quiet`]),
      ];
    });
    expect(missing).toEqual([]);
    const unknown = cases.map((c) => c.alertname).filter((n) => !alertNames.includes(n));
    expect(unknown, 'tests of alerts that do not exist').toEqual([]);
  });

  it('when an alert is defined, then it has a CamelCase name, severity, team, a static summary, a templated description and a runbook section', () => {
    const anchors = markdownAnchors(readFileSync(runbooksPath, 'utf8'));
    const problems = alerts.flatMap((a) => {
      const p: string[] = [];
      const ann = a.annotations ?? {};
      if (!/^[A-Z][a-zA-Z0-9]+$/.test(a.alert)) p.push('name is not CamelCase');
      if (!['critical', 'warning'].includes(a.labels.severity ?? '')) p.push(`severity ${a.labels.severity}`);
      if (a.labels.team !== 'orders-platform') p.push(`team ${a.labels.team}`);
      if (!ann.summary || ann.summary.includes('{{')) p.push('summary missing or templated');
      if (!ann.description?.includes('{{')) p.push('description missing or not templated');
      if (!flagAlerts.has(a.alert) && !ann.description?.includes('$value'))
        p.push('description does not show $value');
      const anchor = `${a.alert.toLowerCase()}`;
      if (ann.runbook_url !== `alerts/runbooks.md#${anchor}`) p.push(`runbook_url ${ann.runbook_url}`);
      if (!anchors.has(anchor)) p.push(`no "## ${a.alert}" section in alerts/runbooks.md`);
      return p.map((problem) => `${a.alert}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  it('when the ADR-0047 alerts are read, then they keep the ADR thresholds, windows and receivers', () => {
    const oneLine = (text = ''): string => text.replace(/\s+/g, ' ').trim();
    const expr = (name: string): string => oneLine(byName(name)[0]?.expr);
    const recorded = (record: string): string =>
      oneLine(groups.flatMap((g) => g.rules).find((r) => r.record === record)?.expr);
    expect(expr('OrderWorkflowFailureRateHigh')).toContain(
      'job:order_workflow_failures_per_workflow:ratio_rate15m > 0.02',
    );
    expect(recorded('job:order_workflow_failures_per_workflow:ratio_rate15m')).toMatch(
      /status=~"failed\|compensated\|timed_out"}\[15m\].*\/ sum by \(job\) \(rate\(order_workflow_status_total\[15m\]\)\)$/,
    );
    expect(expr('OrderWorkflowDurationHigh')).toContain('job:order_workflow_duration_seconds:mean15m > 45');
    expect(recorded('job:order_workflow_duration_seconds:mean15m')).toBe(
      'sum by (job) (rate(order_workflow_duration_seconds_sum[15m])) / sum by (job) (rate(order_workflow_duration_seconds_count[15m]))',
    );
    expect(expr('OrderCompensationRateHigh')).toContain(
      'job:order_workflow_compensations_per_workflow:ratio_rate15m > 0.05',
    );
    expect(expr('KafkaConsumerLagHigh')).toBe('group:kafka_consumergroup_lag_messages:sum > 10000');
    expect(byName('OrderWorkflowFailureRateHigh')[0]?.labels.severity).toBe('critical');
    expect(byName('OrderWorkflowDurationHigh')[0]?.labels.severity).toBe('warning');
    expect(byName('OrderCompensationRateHigh')[0]?.labels.severity).toBe('critical');
    expect(byName('KafkaConsumerLagHigh')[0]?.labels.severity).toBe('warning');
  });

  it('when the burn-rate alerts are read, then they are the SRE workbook pairs with the right severities', () => {
    const pairs = byName('OrderFailureBudgetBurn').map((a) => {
      const factor = /ratio_rate\w+ > \(([\d.]+) \* 0\.01\)/.exec(a.expr)?.[1];
      return `${a.labels.long}/${a.labels.short} ${factor}x ${a.labels.severity} for ${a.for}`;
    });
    expect(pairs).toEqual([
      '1h/5m 14.4x critical for 2m',
      '6h/30m 6x critical for 15m',
      '1d/2h 3x warning for 1h',
      '3d/6h 1x warning for 3h',
    ]);
  });

  it('when the SLO is read, then the burn-rate alerts judge technical failures and the ADR alerts every failure', () => {
    const oneLine = (text = ''): string => text.replace(/\s+/g, ' ').trim();
    const recorded = (record: string): string =>
      oneLine(groups.flatMap((g) => g.rules).find((r) => r.record === record)?.expr);
    for (const burn of byName('OrderFailureBudgetBurn')) {
      const ratios = [...burn.expr.matchAll(/job:order_workflow_(\w+)_per_workflow:ratio_rate(\w+)/g)];
      expect(ratios.length, burn.labels.long).toBe(2);
      for (const [name, kind, window] of ratios) {
        expect(kind, name).toBe('technical_failures');
        expect(recorded(name), name).toContain(
          `order_workflow_status_total{status=~"failed|compensated|timed_out",kind="technical"}[${window}]`,
        );
      }
    }
    // The ADR's failure rate counts declines too; its description says how much of it they are.
    expect(recorded('job:order_workflow_failures_per_workflow:ratio_rate15m')).not.toContain('kind=');
    expect(recorded('job:order_workflow_compensations_per_workflow:ratio_rate15m')).not.toContain('kind=');
    expect(byName('OrderWorkflowFailureRateHigh')[0]?.annotations?.description).toContain(
      'job:order_workflow_declines_per_failure:ratio_rate15m',
    );
    expect(byName('OrderCompensationRateHigh')[0]?.annotations?.description).toContain(
      'job:order_workflow_declines_per_compensation:ratio_rate15m',
    );
  });

  it('when a recording rule is defined, then it is named level:metric:operations', () => {
    const records = groups.flatMap((g) => g.rules).flatMap((r) => (r.record ? [r.record] : []));
    expect(records.length).toBeGreaterThan(0);
    expect(records.filter((r) => !/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/.test(r))).toEqual([]);
  });
});
