// payment-worker: ProcessPayment and RefundPayment on the `payments` task queue, through the Stripe SDK.
import Stripe from 'stripe';
import { createPaymentActivities } from '../activities/payment-activities.ts';
import { TASK_QUEUES } from '../../contracts/order/definitions.ts';
import { loadWorkerConfig } from './config.ts';
import { runWorker } from './run-worker.ts';
import { temporalConnectionOptions } from '../../platform/temporal.ts';
import { createRegistry } from '../../observability/metrics/definitions.ts';

const config = loadWorkerConfig('payment-worker');

function stripeClient(): Stripe {
  // No retries by default: each call in payment-activities.ts sets its own (STRIPE_CALL_RETRIES), under the
  // same idempotency key; Temporal's 5-minute retry budget sits above them (docs/payment-retries.md).
  const base = config.STRIPE_API_BASE ? new URL(config.STRIPE_API_BASE) : undefined;
  return new Stripe(config.STRIPE_API_KEY, {
    maxNetworkRetries: 0,
    timeout: 25_000,
    ...(base
      ? { host: base.hostname, port: base.port, protocol: base.protocol === 'https:' ? 'https' : 'http' }
      : {}),
  });
}

const registry = createRegistry();
await runWorker({
  connection: temporalConnectionOptions(config),
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: TASK_QUEUES.payments,
  maxConcurrentActivityTaskExecutions: config.MAX_CONCURRENT_ACTIVITIES,
  metrics: {
    job: 'payment-worker',
    registry,
    host: config.METRICS_HOST,
    port: config.METRICS_PORT,
    sdkPort: config.SDK_METRICS_PORT,
  },
  activities: createPaymentActivities({ stripe: stripeClient() }),
});
