// Kafka: the non-critical fan-out of ADR-0047. What the broker receives per topic, how far each consumer
// group is behind (in messages and in time), what the consumers did with each event, dead letters.
import {
  type Dashboard,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS, orderflowDashboard, stat, timeseries } from './shared.ts';

/** Order topics and their dead-letter topics; internal topics (__consumer_offsets) are left out. */
const ORDER_TOPICS = 'orders[.].+|dlq[.].+';

function groupVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('group')
    .label('Consumer group')
    .datasource(PROMETHEUS)
    .query('label_values(kafka_consumergroup_lag_messages, group)')
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .multi(true)
    .includeAll(true)
    .allValue('.+')
    .current({ text: 'All', value: '$__all', selected: true });
}

export function kafka(): Dashboard {
  return orderflowDashboard(
    'orderflow-kafka',
    'orderflow / Kafka',
    'Order events on Kafka: produce rate per topic, consumer lag per group (messages and seconds), consumer outcomes, dead letters.',
  )
    .withVariable(groupVariable())
    .withRow(new RowBuilder('Produce'))
    .withPanel(
      timeseries({
        title: 'Messages produced per second by topic (broker)',
        description:
          'kafka_server_brokertopicmetrics_messagesinpersec from the broker’s JMX exporter: OrderCompleted and OrderFailed events, and dead letters.',
        unit: 'suffix: msg/s',
        series: [
          {
            expr: `sum by (topic) (rate(kafka_server_brokertopicmetrics_messagesinpersec{topic=~"${ORDER_TOPICS}"}[$__rate_interval]))`,
            legend: '{{topic}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Events handled per second by group and outcome',
        description:
          'orderflow_consumer_events_total: processed (applied), duplicate (already applied, skipped), dead_lettered.',
        unit: 'suffix: msg/s',
        series: [
          {
            expr: 'sum by (group, outcome) (rate(orderflow_consumer_events_total{group=~"$group"}[$__rate_interval]))',
            legend: '{{group}} {{outcome}}',
          },
        ],
      }),
    )
    .withRow(new RowBuilder('Consumer lag'))
    .withPanel(
      timeseries({
        title: 'Consumer lag by group (messages; ADR alert at 10,000)',
        description:
          'group:kafka_consumergroup_lag_messages:sum, the recording rule behind KafkaConsumerLagHigh: every partition of every topic the group reads.',
        unit: 'short',
        thresholds: [10_000],
        series: [
          { expr: 'group:kafka_consumergroup_lag_messages:sum{group=~"$group"}', legend: '{{group}}' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Consumer lag by group (age of the oldest unconsumed message)',
        description:
          'kafka_consumergroup_lag_seconds, measured from outside the consumers, so a stopped consumer still shows lag.',
        unit: 's',
        series: [
          {
            expr: 'max by (group) (kafka_consumergroup_lag_seconds{group=~"$group"})',
            legend: '{{group}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Processing time p95 by group',
        description: 'From receiving a message to its commit (decode, handle, retries, dead-lettering).',
        unit: 's',
        series: [
          {
            expr: 'histogram_quantile(0.95, sum by (group, le) (rate(orderflow_consumer_processing_seconds_bucket{group=~"$group"}[$__rate_interval])))',
            legend: '{{group}}',
          },
        ],
      }),
    )
    .withPanel(
      stat({
        title: 'Lag measured … ago',
        description:
          'Age of the lag exporter’s last successful measurement: a stale measurement makes lag look fine.',
        unit: 's',
        span: 12,
        height: 8,
        thresholds: [30, 120],
        series: [
          { expr: 'time() - max(orderflow_lag_exporter_last_refresh_timestamp_seconds)', legend: 'age' },
        ],
      }),
    )
    .withRow(new RowBuilder('Dead letters and retries'))
    .withPanel(
      timeseries({
        title: 'Dead-lettered events by group and topic',
        description:
          'Events a group sent to dlq.<group> after its retries (OrderEventsDeadLettered fires on any); replay with consumers/replay-dead-letters.ts.',
        unit: 'short',
        thresholds: [1],
        series: [
          {
            expr: 'sum by (group, topic) (increase(orderflow_dead_letter_messages_total{group=~"$group"}[$__rate_interval]))',
            legend: '{{group}} {{topic}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Processing retries by group and topic',
        description: 'Failed processing attempts a consumer retried after a backoff.',
        unit: 'short',
        series: [
          {
            expr: 'sum by (group, topic) (increase(orderflow_consumer_retries_total{group=~"$group"}[$__rate_interval]))',
            legend: '{{group}} {{topic}}',
          },
        ],
      }),
    )
    .build();
}
