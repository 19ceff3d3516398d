// Load: one k6 run, chosen by its test id, next to what the pipeline made of it. k6 writes its metrics to
// Prometheus through its experimental-prometheus-rw output (`k6 run -o experimental-prometheus-rw --tag
// testid=<id>`: every series carries `testid`; counters end in `_total`, rates in `_rate`, trends are one
// gauge per stat, `_p99` by default, in seconds; names as k6 1.8.1 writes them). The order outcomes come
// from the ADR counter, split by kind (business declines versus technical failures): those are not per
// test id (order ids are never metric labels), so set the time range to the run's.
import {
  type Dashboard,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { FAILURE_OBJECTIVE, PROMETHEUS, orderflowDashboard, stat, timeseries } from './shared.ts';

/** The k6 tag that names a run (the load runner sets it; k6's docs use the same name). */
export const TEST_ID_VARIABLE = 'testid';
const run = `testid=~"$${TEST_ID_VARIABLE}"`;

function testIdVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder(TEST_ID_VARIABLE)
    .label('k6 test id')
    .description('The testid tag of a k6 run (npm run load prints it); All overlays every run in the range.')
    .datasource(PROMETHEUS)
    .query('label_values(k6_http_reqs_total, testid)')
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalDesc)
    .includeAll(true)
    .allValue('.+')
    .current({ text: 'All', value: '$__all', selected: true });
}

export function load(): Dashboard {
  return orderflowDashboard(
    'orderflow-load',
    'orderflow / Load (k6 runs)',
    'A k6 load run by its test id (k6 experimental-prometheus-rw output) and the order outcomes it produced, business declines apart from technical failures.',
  )
    .withVariable(testIdVariable())
    .withRow(new RowBuilder('k6: what the run offered and how order-api answered'))
    .withPanel(
      timeseries({
        title: 'Requests per second by status',
        description:
          'k6_http_reqs_total by HTTP status: POST /orders answers 202, status polls 200; anything else is an error the run saw.',
        unit: 'reqps',
        stack: true,
        series: [
          {
            expr: `sum by (testid, status) (rate(k6_http_reqs_total{${run}}[$__rate_interval]))`,
            legend: '{{testid}} {{status}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Request duration p99 by request',
        description:
          'k6_http_req_duration_p99: the p99 k6 computes over each flush interval, per request name (the accept SLO: POST /orders p99 ≤ 200 ms).',
        unit: 's',
        thresholds: [0.2],
        min: 0,
        series: [
          {
            expr: `max by (testid, method, name) (k6_http_req_duration_p99{${run}})`,
            legend: '{{testid}} {{method}} {{name}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Iterations and dropped iterations per second',
        description:
          'An arrival-rate run holds its rate whatever the system does; a dropped iteration (k6 had no free VU) makes the run invalid. k6 writes k6_dropped_iterations_total only once one is dropped: 0 until then.',
        unit: 'ops',
        series: [
          {
            expr: `sum by (testid) (rate(k6_iterations_total{${run}}[$__rate_interval]))`,
            legend: '{{testid}} iterations',
          },
          {
            expr: `sum by (testid) (rate(k6_dropped_iterations_total{${run}}[$__rate_interval])) or vector(0)`,
            legend: '{{testid}} dropped',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Virtual users and failed requests',
        description:
          'k6_vus (active) and k6_vus_max (allocated); k6_http_req_failed_rate: the share of requests k6 counts as failed (an unexpected status).',
        unit: 'short',
        series: [
          { expr: `max by (testid) (k6_vus{${run}})`, legend: '{{testid}} VUs' },
          { expr: `max by (testid) (k6_vus_max{${run}})`, legend: '{{testid}} VUs allocated' },
          {
            expr: `max by (testid) (k6_http_req_failed_rate{${run}})`,
            legend: '{{testid}} failed request share',
          },
        ],
      }),
    )
    .withRow(
      new RowBuilder('Orders: outcomes during the run (every order in the time range, not only the run’s)'),
    )
    .withPanel(
      timeseries({
        title: 'Accepted and finished orders per second',
        description:
          'Offered load as order-api accepted it (POST /orders → 202) against order workflows finished; a growing gap is a backlog.',
        unit: 'ops',
        series: [
          {
            expr: 'sum(rate(http_server_requests_total{job="order-api",method="POST",route="/orders",status="202"}[$__rate_interval]))',
            legend: 'accepted',
          },
          { expr: 'sum(rate(order_workflow_status_total[$__rate_interval]))', legend: 'finished' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Outcomes per second by kind',
        description:
          'order_workflow_status_total by status and kind: none (completed), business (a decline: a decision, not a fault), technical (something broke; what the SLO counts).',
        unit: 'ops',
        stack: true,
        series: [
          {
            expr: 'sum by (status, kind) (rate(order_workflow_status_total[$__rate_interval]))',
            legend: '{{status}} ({{kind}})',
          },
        ],
      }),
    )
    .withPanel(
      stat({
        title: 'Technical failures (time range; SLO < 1%)',
        description:
          'Technical failures over every finished order in the time range (kind="technical"): the verdict’s measure. Declines excluded.',
        unit: 'percentunit',
        span: 8,
        thresholds: [0.001, FAILURE_OBJECTIVE],
        series: [
          {
            expr: 'sum(increase(order_workflow_status_total{kind="technical"}[$__range])) / sum(increase(order_workflow_status_total[$__range]))',
            legend: 'technical',
          },
        ],
      }),
    )
    .withPanel(
      stat({
        title: 'Business declines (time range)',
        description: 'Declined orders over every finished order in the time range (kind="business").',
        unit: 'percentunit',
        span: 8,
        series: [
          {
            expr: 'sum(increase(order_workflow_status_total{kind="business"}[$__range])) / sum(increase(order_workflow_status_total[$__range]))',
            legend: 'declined',
          },
        ],
      }),
    )
    .withPanel(
      stat({
        title: 'Orders finished (time range)',
        description: 'Order workflows that finished in the time range, by kind.',
        unit: 'short',
        span: 8,
        series: [
          {
            expr: 'sum by (kind) (increase(order_workflow_status_total[$__range]))',
            legend: '{{kind}}',
          },
        ],
      }),
    )
    .build();
}
