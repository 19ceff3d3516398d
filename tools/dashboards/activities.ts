// Activities: the saga's steps as the workers run them. Attempt durations by ADR step (our histogram,
// one observation per attempt), failed and retried attempts (Temporal SDK and server metrics), how long
// tasks wait for a worker, pollers, and the downstream services the activities call.
import {
  CustomVariableBuilder,
  type Dashboard,
  RowBuilder,
  type VariableOption,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { failedOrderTracesLink, orderflowDashboard, timeseries } from './shared.ts';

const WORKERS = ['order-worker', 'fraud-worker', 'payment-worker'] as const;
const DOWNSTREAM = 'job=~".+-service|payment-gateway",route!="/metrics"';

function workerVariable(): CustomVariableBuilder {
  const all: VariableOption = { text: 'All', value: '$__all', selected: true };
  return new CustomVariableBuilder('worker')
    .label('Worker')
    .values(WORKERS.join(','))
    .multi(true)
    .includeAll(true)
    .current(all)
    .options([all, ...WORKERS.map((w): VariableOption => ({ text: w, value: w, selected: false }))]);
}

const quantileBy = (q: number, by: string, bucket: string): string =>
  `histogram_quantile(${q}, sum by (${by}, le) (rate(${bucket}[$__rate_interval])))`;

export function activities(): Dashboard {
  return orderflowDashboard(
    'orderflow-activities',
    'orderflow / Activities',
    'ProcessOrderWorkflow activities by ADR step: attempt duration, failed and retried attempts, task queue latency, pollers, downstream services.',
  )
    .withVariable(workerVariable())
    .withRow(new RowBuilder('Attempts by step'))
    .withPanel(
      timeseries({
        title: 'Attempt duration p95 by step (exemplars → traces)',
        description:
          'activity_duration_seconds: one observation per attempt, successful or not, labelled with the ADR step name.',
        unit: 's',
        series: [
          {
            expr: quantileBy(0.95, 'activity', 'activity_duration_seconds_bucket{job=~"$worker"}'),
            legend: '{{activity}}',
            exemplar: true,
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Mean attempt duration by step',
        description: 'rate(_sum) / rate(_count) of activity_duration_seconds, per ADR step.',
        unit: 's',
        series: [
          {
            expr: 'sum by (activity) (rate(activity_duration_seconds_sum{job=~"$worker"}[$__rate_interval])) / sum by (activity) (rate(activity_duration_seconds_count{job=~"$worker"}[$__rate_interval]))',
            legend: '{{activity}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Attempts per minute by step',
        description: 'Activity attempts started, per ADR step (retries included).',
        unit: 'opm',
        series: [
          {
            expr: 'sum by (activity) (rate(activity_duration_seconds_count{job=~"$worker"}[$__rate_interval])) * 60',
            legend: '{{activity}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Failed attempts per minute by step (worker SDK)',
        description:
          'temporal_activity_execution_failed from the workers’ Temporal SDK exporter (activity function name, failure reason). Business declines fail on their first attempt.',
        unit: 'opm',
        series: [
          {
            expr: 'sum by (activity_type, failure_reason) (rate(temporal_activity_execution_failed{job=~"$worker"}[$__rate_interval])) * 60',
            legend: '{{activity_type}} {{failure_reason}}',
          },
        ],
        links: [failedOrderTracesLink],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Retried attempts per minute by step (Temporal server)',
        description:
          'Failed attempts the Temporal server scheduled again: activity_task_fail (every failed attempt) minus activity_fail (attempts that failed the activity for good). Attempt timeouts are not included. Not filtered by worker.',
        unit: 'opm',
        series: [
          {
            expr: '(sum by (activityType) (rate(activity_task_fail{job="temporal"}[$__rate_interval])) - sum by (activityType) (rate(activity_fail{job="temporal"}[$__rate_interval]))) * 60',
            legend: '{{activityType}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Activity schedule-to-start p95 by task queue (worker SDK)',
        description:
          'How long activity tasks wait in their task queue for a worker slot: the signal to scale a worker (ADR rationale 2).',
        unit: 's', // workers export seconds (useSecondsForDurations)
        series: [
          {
            expr: quantileBy(
              0.95,
              'task_queue',
              'temporal_activity_schedule_to_start_latency_bucket{job=~"$worker"}',
            ),
            legend: '{{task_queue}}',
          },
        ],
      }),
    )
    .withRow(new RowBuilder('Workers'))
    .withPanel(
      timeseries({
        title: 'Workflow task schedule-to-start p95 (worker SDK)',
        description: 'How long ProcessOrderWorkflow tasks wait for the order-worker.',
        unit: 's', // workers export seconds (useSecondsForDurations)
        series: [
          {
            expr: quantileBy(
              0.95,
              'task_queue',
              'temporal_workflow_task_schedule_to_start_latency_bucket{job=~"$worker"}',
            ),
            legend: '{{task_queue}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Pollers by task queue',
        description:
          'temporal_num_pollers of the workers; 0 (or absent) on a task queue fires TemporalTaskQueueNoPollers.',
        unit: 'short',
        series: [
          {
            expr: 'sum by (task_queue, poller_type) (temporal_num_pollers{job=~"$worker"})',
            legend: '{{task_queue}} {{poller_type}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Task slots in use by worker',
        description: 'Busy execution slots per worker and slot type (activity, local activity, workflow).',
        unit: 'short',
        series: [
          {
            expr: 'sum by (job, worker_type) (temporal_worker_task_slots_used{job=~"$worker"})',
            legend: '{{job}} {{worker_type}}',
          },
        ],
      }),
    )
    .withRow(new RowBuilder('Downstream services (called by the activities, through Toxiproxy)'))
    .withPanel(
      timeseries({
        title: 'Downstream requests per second by service and status',
        description: 'http_server_requests_total of the simulated downstream services (RED).',
        unit: 'reqps',
        series: [
          {
            expr: `sum by (job, status) (rate(http_server_requests_total{${DOWNSTREAM}}[$__rate_interval]))`,
            legend: '{{job}} {{status}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Downstream latency p95 by service',
        description: 'http_server_request_duration_seconds of the downstream services, as they served it.',
        unit: 's',
        series: [
          {
            expr: quantileBy(0.95, 'job', `http_server_request_duration_seconds_bucket{${DOWNSTREAM}}`),
            legend: '{{job}}',
          },
        ],
      }),
    )
    .build();
}
