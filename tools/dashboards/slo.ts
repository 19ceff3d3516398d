// SLO: ADR-0047's decision driver "< 1% failure rate" as an error budget of technical failures (business
// declines are decisions, not faults: kind="business" stays out). Remaining budget over 30 days, and the
// burn rates of the multi-window alerts (OrderFailureBudgetBurn) from the same recording rules the alerts
// use, so the dashboard and the pager never disagree.
import { type Dashboard, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  FAILED_STATUSES,
  FAILURE_OBJECTIVE,
  TECHNICAL,
  orderflowDashboard,
  stat,
  timeseries,
} from './shared.ts';

const ratio = (window: string): string =>
  `job:order_workflow_technical_failures_per_workflow:ratio_rate${window}`;
const burnRate = (window: string): string => `${ratio(window)} / ${FAILURE_OBJECTIVE}`;

// No 30-day recording rule exists (Prometheus keeps 7 days locally): the budget is computed from the
// counters, technical failures over all finished workflows, like the recording rules.
const failureRatio30d = `sum(increase(order_workflow_status_total{status=~"${FAILED_STATUSES}",${TECHNICAL}}[30d])) / sum(increase(order_workflow_status_total[30d]))`;
const budgetRemaining30d = `1 - (${failureRatio30d}) / ${FAILURE_OBJECTIVE}`;

/** One alert rule of OrderFailureBudgetBurn: its long and short windows and its burn-rate factor. */
interface BurnAlert {
  readonly long: string;
  readonly short: string;
  readonly factor: number;
  readonly severity: 'page' | 'ticket';
  readonly budget: string;
}

const BURN_ALERTS: readonly BurnAlert[] = [
  { long: '1h', short: '5m', factor: 14.4, severity: 'page', budget: '2% of the budget per hour' },
  { long: '6h', short: '30m', factor: 6, severity: 'page', budget: '5% of the budget in 6 hours' },
  { long: '1d', short: '2h', factor: 3, severity: 'ticket', budget: '10% of the budget per day' },
  { long: '3d', short: '6h', factor: 1, severity: 'ticket', budget: '10% of the budget in 3 days' },
];

export function slo(): Dashboard {
  const dashboard = orderflowDashboard(
    'orderflow-slo',
    'orderflow / SLO: technical order failures < 1%',
    'Error budget of the ADR-0047 objective (fewer than 1% of order workflows fail for a technical reason; business declines excluded; 30-day budget) and the burn rates of OrderFailureBudgetBurn.',
  )
    .withRow(new RowBuilder('Error budget (30 days)'))
    .withPanel(
      stat({
        title: 'Error budget remaining (30 d)',
        description:
          '1 − (technical failure ratio over 30 days ÷ 1%). Negative: the objective is missed for the period. Failures are failed, compensated and timed_out workflows with kind="technical"; business declines are not in the budget.',
        unit: 'percentunit',
        span: 8,
        series: [{ expr: budgetRemaining30d, legend: 'remaining' }],
      }),
    )
    .withPanel(
      stat({
        title: 'Technical failure ratio (30 d; objective < 1%)',
        description:
          'Share of finished order workflows that failed for a technical reason over the last 30 days (declines excluded).',
        unit: 'percentunit',
        span: 8,
        thresholds: [FAILURE_OBJECTIVE],
        series: [{ expr: failureRatio30d, legend: 'failed' }],
      }),
    )
    .withPanel(
      stat({
        title: 'Finished orders per hour (1 h; burn alerts need ≥ 100)',
        description:
          'The minimum-traffic guard of the burn-rate alerts: below 100 orders per hour over the long window they do not fire.',
        unit: 'short',
        span: 8,
        series: [{ expr: 'sum(job:order_workflow_status:rate1h) * 3600', legend: 'orders/h' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Error budget remaining over time (30 d window)',
        description: 'The remaining budget at each point in time, over the 30 days before it.',
        unit: 'percentunit',
        span: 24,
        series: [{ expr: budgetRemaining30d, legend: 'remaining' }],
      }),
    )
    .withRow(new RowBuilder('Burn rates (× the sustainable rate; 1 = the budget lasts exactly 30 days)'));
  for (const alert of BURN_ALERTS) {
    dashboard.withPanel(
      timeseries({
        title: `Burn rate ${alert.long} and ${alert.short} (${alert.severity} above ${alert.factor}×)`,
        description: `OrderFailureBudgetBurn (${alert.severity}) fires when both windows burn faster than ${alert.factor}× (${alert.budget}) with at least 100 orders per hour over ${alert.long}.`,
        unit: 'short',
        thresholds: [alert.factor],
        min: 0,
        series: [
          { expr: burnRate(alert.long), legend: `{{job}} ${alert.long}` },
          { expr: burnRate(alert.short), legend: `{{job}} ${alert.short}` },
        ],
      }),
    );
  }
  return dashboard
    .withPanel(
      timeseries({
        title: 'Technical failure ratio by window',
        description:
          'The recording rules job:order_workflow_technical_failures_per_workflow:ratio_rate<window> (kind="technical").',
        unit: 'percentunit',
        span: 24,
        thresholds: [FAILURE_OBJECTIVE],
        min: 0,
        series: ['5m', '1h', '6h', '1d', '3d'].map((w) => ({ expr: ratio(w), legend: `{{job}} ${w}` })),
      }),
    )
    .build();
}
