// order-worker: ProcessOrderWorkflow and the light activities, task queue `order-processing`.
import { openOrderStore } from '../../order-store/index.ts';
import {
  createKafkaClient,
  createOrderEventPublisher,
  createSchemaRegistryClient,
  loadEventsConfig,
} from '../../events/index.ts';
import { createOrderActivities } from '../activities/order-activities.ts';
import { TASK_QUEUES } from '../../contracts/order/definitions.ts';
import { downstreamClient, loadWorkerConfig, workflowsPath } from './config.ts';
import { runWorker } from './run-worker.ts';
import { temporalConnectionOptions } from '../../platform/temporal.ts';
import { createRegistry, createWorkflowMetrics } from '../../observability/metrics/definitions.ts';
import { orderMetricsSinks } from './workflow-metrics.ts';

const config = loadWorkerConfig('order-worker');
const store = openOrderStore(config.ORDERS_DB);
const eventsConfig = loadEventsConfig();
// Through Toxiproxy on the local stack (KAFKA_BROKERS), so Kafka chaos reaches FinalizeOrder.
const events = createOrderEventPublisher({
  kafka: createKafkaClient({ clientId: 'order-worker', brokers: eventsConfig.kafkaBrokers }),
  registry: createSchemaRegistryClient(eventsConfig.schemaRegistryUrl),
  topics: eventsConfig.topics,
});

const registry = createRegistry();
await runWorker({
  connection: temporalConnectionOptions(config),
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: TASK_QUEUES.orders,
  workflowsPath,
  workflowStackTraces: config.WORKFLOW_STACK_TRACES === 'on',
  maxConcurrentActivityTaskExecutions: config.MAX_CONCURRENT_ACTIVITIES,
  metrics: {
    job: 'order-worker',
    registry,
    host: config.METRICS_HOST,
    port: config.METRICS_PORT,
    sdkPort: config.SDK_METRICS_PORT,
  },
  // Workflow-level metrics, reported by ProcessOrderWorkflow through a sink (not called on replay).
  sinks: orderMetricsSinks(createWorkflowMetrics(registry)),
  activities: createOrderActivities({
    customer: downstreamClient('customer'),
    inventory: downstreamClient('inventory'),
    pricing: downstreamClient('pricing'),
    tax: downstreamClient('tax'),
    shipping: downstreamClient('shipping'),
    notification: downstreamClient('notification'),
    store,
    events,
  }),
  onShutdown: () => {
    void store.close();
    void events.disconnect();
  },
});
