// legacy-order-service: the ADR-0031 synchronous order pipeline, kept as the migration baseline (ADR-0047's
// fallback and the side-by-side comparison). One request runs the whole checkout.
import Stripe from 'stripe';
import { serve } from '../../platform/http.ts';
import { openOrderStore } from '../../order-store/index.ts';
import { createRegistry } from '../../observability/metrics/definitions.ts';
import { buildApp } from './app.ts';
import { checkout, type CheckoutDeps } from './checkout.ts';
import { jsonClient } from './client.ts';
import { downstreamUrl, loadLegacyConfig } from './config.ts';
import { createLegacyMetrics } from './metrics.ts';
import { createLegacyOrders } from './orders.ts';

const config = loadLegacyConfig();
const store = openOrderStore(config.LEGACY_ORDERS_DB);
const registry = createRegistry();
const metrics = createLegacyMetrics(registry);

const base = config.STRIPE_API_BASE ? new URL(config.STRIPE_API_BASE) : undefined;
const client = (name: Parameters<typeof downstreamUrl>[0], service: string) =>
  jsonClient(service, downstreamUrl(name), config.CALL_TIMEOUT_MS);
const deps: CheckoutDeps = {
  customer: client('customer', 'customer-service'),
  inventory: client('inventory', 'inventory-service'),
  pricing: client('pricing', 'pricing-service'),
  tax: client('tax', 'tax-service'),
  fraud: client('fraud', 'fraud-service'),
  shipping: client('shipping', 'shipping-service'),
  notification: client('notification', 'notification-service'),
  // One attempt per call: the synchronous pipeline has no retry budget inside a checkout's deadline.
  stripe: new Stripe(config.STRIPE_API_KEY, {
    maxNetworkRetries: 0,
    timeout: config.CALL_TIMEOUT_MS,
    ...(base
      ? { host: base.hostname, port: base.port, protocol: base.protocol === 'https:' ? 'https' : 'http' }
      : {}),
  }),
  callTimeoutMs: config.CALL_TIMEOUT_MS,
  onStep: (step, seconds) => metrics.step(step, seconds),
};

const app = buildApp({
  metrics: registry,
  logLevel: config.LOG_LEVEL,
  orders: createLegacyOrders({
    store,
    metrics,
    deadlineMs: config.CHECKOUT_DEADLINE_MS,
    checkout: (orderId, request, deadline) => checkout(orderId, request, deadline, deps),
  }),
});

await serve(app, {
  job: 'legacy-order-service',
  host: config.HOST,
  port: config.PORT,
  onClose: () => store.close(),
});
