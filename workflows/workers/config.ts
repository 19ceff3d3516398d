// Worker configuration, parsed once from the environment. Defaults make the local stack work untouched;
// deployments set TEMPORAL_NAMESPACE=orders-production and real addresses.
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig, port, str } from '../../platform/config.ts';
import { downstream, type DownstreamName } from '../../platform/downstream.ts';
import { repoRoot } from '../../platform/paths.ts';
import { temporalSettings } from '../../platform/temporal.ts';
import { defaultOrdersDb } from '../../order-store/index.ts';
import { serviceClient, type ServiceClient } from '../activities/http-client.ts';

/** Each worker's /metrics port and its SDK runtime metrics port (`<WORKER>_METRICS_PORT`, `<WORKER>_SDK_METRICS_PORT`). */
export const WORKER_METRICS_PORTS = {
  'order-worker': { metrics: 9401, sdk: 9411 },
  'fraud-worker': { metrics: 9402, sdk: 9412 },
  'payment-worker': { metrics: 9403, sdk: 9413 },
} as const;
export type WorkerName = keyof typeof WORKER_METRICS_PORTS;

export function loadWorkerConfig(service: WorkerName) {
  const env = service.toUpperCase().replaceAll('-', '_');
  const ports = WORKER_METRICS_PORTS[service];
  const metrics = loadConfig(service, {
    METRICS_HOST: str('127.0.0.1'),
    [`${env}_METRICS_PORT`]: port(ports.metrics),
    /** 0 turns the SDK's Prometheus exporter off. */
    [`${env}_SDK_METRICS_PORT`]: z.coerce.number().int().min(0).max(65535).default(ports.sdk),
  });
  return {
    ...loadBase(service),
    METRICS_HOST: metrics.METRICS_HOST as string,
    METRICS_PORT: metrics[`${env}_METRICS_PORT`] as number,
    SDK_METRICS_PORT: metrics[`${env}_SDK_METRICS_PORT`] as number,
  };
}

function loadBase(service: string) {
  return loadConfig(service, {
    ...temporalSettings,
    /** The order store order-api owns; FinalizeOrder and the failure path write outcomes into it. */
    ORDERS_DB: str(defaultOrdersDb()),
    STRIPE_API_KEY: str('sk_test_orderflow_local'),
    /** Empty means api.stripe.com; locally the payment-gateway behind its Toxiproxy listener. */
    STRIPE_API_BASE: z.string().default(`http://127.0.0.1:${downstream.payment.proxyPort}`),
    MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(50),
    /** Stack traces in workflow code: off saves CPU per order (workflow-stack-traces.ts says what is lost). */
    WORKFLOW_STACK_TRACES: z.enum(['on', 'off']).default('off'),
  });
}

/** A downstream service's base URL: `<NAME>_URL`, or its Toxiproxy listener on the local stack. */
export function downstreamClient(name: DownstreamName): ServiceClient {
  const svc = downstream[name];
  const env = `${svc.name.toUpperCase().replaceAll('-', '_')}_URL`;
  return serviceClient(svc.name, process.env[env] ?? `http://127.0.0.1:${svc.proxyPort}`);
}

export const workflowsPath = join(repoRoot, 'workflows', 'index.ts');
