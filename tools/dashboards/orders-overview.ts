// Orders overview: what ADR-0047's on-call engineer looks at first. Orders in and out, outcomes, workflow
// duration with exemplars (a dot is a trace), orders in flight per status, the fraud review queue.
import { type Dashboard, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { DataqueryBuilder as TempoQuery, SearchTableType } from '@grafana/grafana-foundation-sdk/tempo';
import {
  TEMPO,
  failedOrderTracesLink,
  orderTraceLink,
  orderflowDashboard,
  stat,
  timeseries,
} from './shared.ts';

const outcome = (status: string): string =>
  `sum(increase(order_workflow_status_total{status="${status}"}[$__range]))`;

const durationQuantile = (q: number): string =>
  `histogram_quantile(${q}, sum by (le) (rate(order_workflow_duration_seconds_bucket[$__rate_interval])))`;

export function ordersOverview(): Dashboard {
  return orderflowDashboard(
    'orderflow-orders',
    'orderflow / Orders overview',
    'ADR-0047 order pipeline: order rate, outcomes, workflow duration with exemplars, orders in flight, review queue.',
  )
    .withRow(new RowBuilder('Orders in and out'))
    .withPanel(
      timeseries({
        title: 'Order rate',
        description:
          'Orders accepted by order-api (POST /orders → 202) and order workflows that finished, per minute.',
        unit: 'opm',
        series: [
          {
            expr: 'sum(rate(http_server_requests_total{job="order-api",method="POST",route="/orders",status="202"}[$__rate_interval])) * 60',
            legend: 'accepted',
          },
          { expr: 'sum(rate(order_workflow_status_total[$__rate_interval])) * 60', legend: 'finished' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Outcomes per minute',
        description:
          'Finished order workflows by outcome and kind. compensated = failed after ReserveInventory with its compensations run; failed = nothing to compensate. kind: business = a decline (a decision), technical = something broke.',
        unit: 'opm',
        stack: true,
        series: [
          {
            expr: 'sum by (status, kind) (rate(order_workflow_status_total[$__rate_interval])) * 60',
            legend: '{{status}} ({{kind}})',
          },
        ],
        links: [failedOrderTracesLink],
      }),
    )
    .withPanel(
      stat({
        title: 'Completed',
        description: 'Order workflows that completed in the selected time range.',
        unit: 'short',
        span: 6,
        series: [{ expr: outcome('completed'), legend: 'completed' }],
      }),
    )
    .withPanel(
      stat({
        title: 'Failed',
        description: 'Order workflows that failed with nothing to compensate, in the selected time range.',
        unit: 'short',
        span: 6,
        thresholds: [1],
        series: [{ expr: outcome('failed'), legend: 'failed' }],
        links: [failedOrderTracesLink],
      }),
    )
    .withPanel(
      stat({
        title: 'Compensated',
        description:
          'Order workflows that failed after ReserveInventory and ran their compensations, in the selected time range.',
        unit: 'short',
        span: 6,
        thresholds: [1],
        series: [{ expr: outcome('compensated'), legend: 'compensated' }],
        links: [failedOrderTracesLink],
      }),
    )
    .withPanel(
      stat({
        title: 'Compensations that failed',
        description:
          'Compensations that finally failed (orders in compensation_failed: a human must act; RefundPayment pages).',
        unit: 'short',
        span: 6,
        thresholds: [1],
        series: [
          { expr: 'sum(increase(orderflow_compensation_failures_total[$__range]))', legend: 'failed' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Failure and compensation ratio (15 min, ADR alerts at 2% and 5%)',
        description:
          'The recording rules behind OrderWorkflowFailureRateHigh (> 2%) and OrderCompensationRateHigh (> 5%), declines included as the ADR counts them, and the technical failure ratio alone (what the SLO counts).',
        unit: 'percentunit',
        thresholds: [0.02, 0.05],
        min: 0,
        series: [
          { expr: 'job:order_workflow_failures_per_workflow:ratio_rate15m', legend: 'failed' },
          { expr: 'job:order_workflow_compensations_per_workflow:ratio_rate15m', legend: 'compensated' },
          {
            expr: 'job:order_workflow_technical_failures_per_workflow:ratio_rate15m',
            legend: 'technical failures',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Compensations by failing step',
        description: 'Orders whose saga compensated, by the step that failed (compensation_triggered_total).',
        unit: 'short',
        series: [
          {
            expr: 'sum by (step) (increase(compensation_triggered_total[$__rate_interval]))',
            legend: '{{step}}',
          },
        ],
        links: [failedOrderTracesLink],
      }),
    )
    .withRow(new RowBuilder('Duration'))
    .withPanel(
      timeseries({
        title: 'Workflow duration p50 / p95 / p99 (exemplars → traces)',
        description:
          'order_workflow_duration_seconds, all outcomes, including time waiting for fraud review. Exemplars carry trace_id and open the trace in Tempo.',
        unit: 's',
        series: [
          { expr: durationQuantile(0.5), legend: 'p50', exemplar: true },
          { expr: durationQuantile(0.95), legend: 'p95', exemplar: true },
          { expr: durationQuantile(0.99), legend: 'p99', exemplar: true },
        ],
        links: [orderTraceLink],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Mean workflow duration (15 min, ADR alert at 45 s)',
        description: 'The recording rule behind OrderWorkflowDurationHigh.',
        unit: 's',
        thresholds: [45],
        series: [{ expr: 'job:order_workflow_duration_seconds:mean15m', legend: 'mean' }],
      }),
    )
    .withRow(new RowBuilder('In flight'))
    .withPanel(
      timeseries({
        title: 'Orders in flight by status',
        description:
          'Running ProcessOrderWorkflow executions by their current status, read from Temporal by order-api at scrape time.',
        unit: 'short',
        stack: true,
        series: [{ expr: 'sum by (status) (orderflow_orders_in_status)', legend: '{{status}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Oldest order per status (stuck after 10 min)',
        description:
          'How long the oldest order has been in each non-terminal status (OrderStuckInStatus fires above 10 minutes; awaiting_review is exempt).',
        unit: 's',
        thresholds: [600],
        series: [
          { expr: 'max by (status) (orderflow_order_oldest_in_status_seconds)', legend: '{{status}}' },
        ],
      }),
    )
    .withPanel(
      stat({
        title: 'Review queue',
        description: 'Orders awaiting a fraud review decision.',
        unit: 'short',
        series: [{ expr: 'max(orderflow_review_queue_size)', legend: 'awaiting review' }],
      }),
    )
    .withPanel(
      stat({
        title: 'Oldest order awaiting review (stale after 4 h)',
        description:
          'OrderReviewQueueStale fires above 4 hours; at its deadline an unreviewed order is rejected.',
        unit: 's',
        thresholds: [4 * 3600],
        series: [{ expr: 'max(orderflow_review_queue_oldest_seconds)', legend: 'oldest' }],
      }),
    )
    .withRow(new RowBuilder('Migration: shadow mode (ADR-0047 phase 1)'))
    .withPanel(
      timeseries({
        title: 'Shadow comparisons per minute by result',
        description:
          'Orders the legacy pipeline took and the Temporal pipeline decided in shadow (order-shadow), by comparison result: match, mismatch (a field differs: see `npm run shadow -- report`), unverifiable (legacy failed at a step the shadow side only records), error (not comparable).',
        unit: 'opm',
        stack: true,
        series: [
          {
            expr: 'sum by (result) (rate(orderflow_shadow_orders_total[$__rate_interval])) * 60',
            legend: '{{result}}',
          },
        ],
      }),
    )
    .withPanel(
      stat({
        title: 'Shadow mismatches by field',
        description:
          'Compared fields that differed in the selected time range: outcome (completed, declined, failed), amount (the order total), reason (the decline reason). Any mismatch is a discrepancy to read in the report before a canary starts.',
        unit: 'short',
        span: 8,
        thresholds: [1],
        series: [
          {
            expr: 'sum by (field) (increase(orderflow_shadow_comparisons_total{result="mismatch"}[$__range]))',
            legend: '{{field}}',
          },
        ],
      }),
    )
    .withPanel(
      stat({
        title: 'Shadow mode',
        description: '1 while the router mirrors legacy orders to order-shadow (npm run shadow -- on).',
        unit: 'short',
        span: 4,
        series: [{ expr: 'max(orderflow_shadow_enabled)', legend: 'on' }],
      }),
    )
    .withRow(new RowBuilder('Traces'))
    .withPanel(
      new TableBuilder()
        .title('Recent failed orders (Tempo)')
        .description(
          'Traces with an error span that belongs to an order; open one to follow the order from order-api to the last consumer.',
        )
        .datasource(TEMPO)
        .span(24)
        .height(8)
        .withTarget(
          new TempoQuery()
            .datasource(TEMPO)
            .refId('A')
            .queryType('traceql')
            .query('{ span.order.id != nil && status = error }')
            .tableType(SearchTableType.Traces)
            .limit(20),
        ),
    )
    .build();
}
