// fraud-worker: RunFraudCheck on its own task queue, so fraud checking scales apart from the rest.
import { createFraudActivities } from '../activities/fraud-activities.ts';
import { TASK_QUEUES } from '../../contracts/order/definitions.ts';
import { downstreamClient, loadWorkerConfig } from './config.ts';
import { runWorker } from './run-worker.ts';
import { temporalConnectionOptions } from '../../platform/temporal.ts';
import { createRegistry } from '../../observability/metrics/definitions.ts';

const config = loadWorkerConfig('fraud-worker');

const registry = createRegistry();
await runWorker({
  connection: temporalConnectionOptions(config),
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: TASK_QUEUES.fraud,
  maxConcurrentActivityTaskExecutions: config.MAX_CONCURRENT_ACTIVITIES,
  metrics: {
    job: 'fraud-worker',
    registry,
    host: config.METRICS_HOST,
    port: config.METRICS_PORT,
    sdkPort: config.SDK_METRICS_PORT,
  },
  activities: createFraudActivities({ fraud: downstreamClient('fraud') }),
});
