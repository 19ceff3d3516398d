// Worker configuration, parsed once from the environment. Defaults make the local stack work untouched;
// deployments set TEMPORAL_NAMESPACE=orders-production and real addresses.
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig, str } from '../../services/kit/config.ts';
import { downstream, type DownstreamName } from '../../services/registry.ts';
import { serviceClient, type ServiceClient } from '../activities/http-client.ts';

const repoRoot = join(import.meta.dirname, '..', '..');

export function loadWorkerConfig(service: string) {
  return loadConfig(service, {
    TEMPORAL_ADDRESS: str('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: str('default'),
    /** The order store order-api owns; FinalizeOrder and the failure path write outcomes into it. */
    ORDERS_DB: str(join(repoRoot, '.orderflow', 'data', 'services', 'orders.db')),
    STRIPE_API_KEY: str('sk_test_orderflow_local'),
    /** Empty means api.stripe.com; locally the payment-gateway behind its Toxiproxy listener. */
    STRIPE_API_BASE: z.string().default(`http://127.0.0.1:${downstream.payment.proxyPort}`),
    MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(50),
  });
}

/** A downstream service's base URL: `<NAME>_URL`, or its Toxiproxy listener on the local stack. */
export function downstreamClient(name: DownstreamName): ServiceClient {
  const svc = downstream[name];
  const env = `${svc.name.toUpperCase().replaceAll('-', '_')}_URL`;
  return serviceClient(svc.name, process.env[env] ?? `http://127.0.0.1:${svc.proxyPort}`);
}

export const workflowsPath = join(repoRoot, 'workflows', 'index.ts');
