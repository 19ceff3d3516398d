// order-worker: ProcessOrderWorkflow and the light activities, task queue `order-processing`.
import { openOrderStore } from '../../services/order-api/store.ts';
import { createOrderActivities } from '../activities/order-activities.ts';
import { TASK_QUEUES } from '../order/definitions.ts';
import { downstreamClient, loadWorkerConfig, workflowsPath } from './config.ts';
import { runWorker } from './run-worker.ts';

const config = loadWorkerConfig('order-worker');
const store = openOrderStore(config.ORDERS_DB);

await runWorker({
  address: config.TEMPORAL_ADDRESS,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: TASK_QUEUES.orders,
  workflowsPath,
  maxConcurrentActivityTaskExecutions: config.MAX_CONCURRENT_ACTIVITIES,
  activities: createOrderActivities({
    customer: downstreamClient('customer'),
    inventory: downstreamClient('inventory'),
    pricing: downstreamClient('pricing'),
    tax: downstreamClient('tax'),
    shipping: downstreamClient('shipping'),
    notification: downstreamClient('notification'),
    store,
  }),
  onShutdown: () => void store.close(),
});
