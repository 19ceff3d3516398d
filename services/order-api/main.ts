// order-api: accepts orders (idempotently), reports their status, takes review decisions.
import { Client, Connection } from '@temporalio/client';
import { loadOrderApiConfig } from './config.ts';
import { temporalConnectionOptions } from '../../platform/temporal.ts';
import { serve } from '../../platform/http.ts';
import { buildApp } from './app.ts';
import { createOrders } from './orders.ts';
import { openOrderStore } from '../../order-store/index.ts';
import { createRegistry } from '../../observability/metrics/definitions.ts';
import { registerOrderGauges, temporalOpenOrders } from './order-gauges.ts';
import { workflowClientTracing } from '../../observability/tracing/temporal.ts';

const config = loadOrderApiConfig();

const store = openOrderStore(config.ORDERS_DB);
// Lazy: order-api starts (and answers 503) while Temporal is down, and recovers when it is back.
// TLS, mTLS or a Temporal Cloud API key from the TEMPORAL_* settings (platform/temporal.ts).
const connection = Connection.lazy({
  ...temporalConnectionOptions(config),
  // Reconnect within a second once Temporal is back (gRPC's default backoff grows 1 s, 1.6 s, 2.6 s, … up to
  // 2 min): a POST /orders that arrives during a Temporal restart then starts its workflow inside the start
  // deadline instead of answering 503 (chaos experiment temporal-restart).
  channelArgs: { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 1000 },
});
// Traced: StartWorkflow, the review update and status queries join the order's trace.
const temporal = new Client({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  interceptors: workflowClientTracing(),
});
// Untraced: the gauges query every open order on each scrape; as spans they would be noise, not orders.
const gaugesClient = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

const registry = createRegistry();
const app = buildApp({
  metrics: registry,
  orders: createOrders({ store, temporal, reviewTimeoutSeconds: config.REVIEW_TIMEOUT_SECONDS }),
  logLevel: config.LOG_LEVEL,
  ready: async () => {
    await connection.withDeadline(Date.now() + 2000, () => connection.workflowService.getSystemInfo({}));
  },
});

registerOrderGauges(registry, temporalOpenOrders(gaugesClient), {
  onError: (err) => app.log.warn({ err }, 'order gauges: Temporal did not answer; gauges absent this scrape'),
});

await serve(app, {
  job: 'order-api',
  host: config.HOST,
  port: config.PORT,
  onClose: async () => {
    await connection.close();
    await store.close();
  },
});
