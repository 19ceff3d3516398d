// legacy-order-service's configuration, parsed once at start. The timeouts are the ADR-0031 pipeline's: one
// per downstream call, and one deadline for the whole checkout request (what the storefront waits for).
import { join } from 'node:path';
import { z } from 'zod';
import { envPrefix, loadConfig, port, str } from '../../platform/config.ts';
import { downstream, type DownstreamName } from '../../platform/downstream.ts';
import { statePaths } from '../../platform/paths.ts';
import { ports } from '../../platform/ports.ts';

const millis = (fallback: number) => z.coerce.number().int().min(1).max(600_000).default(fallback);

export const loadLegacyConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    'legacy-order-service',
    {
      HOST: str('127.0.0.1'),
      PORT: port(ports.legacyOrderService),
      /** Its own order store (same schema as order-api's): a SQLite file path, or a postgres:// URL. */
      LEGACY_ORDERS_DB: str(join(statePaths.data, 'services', 'legacy-orders.db')),
      /** The whole checkout request: past it the customer gets a 504 and nothing is undone. */
      CHECKOUT_DEADLINE_MS: millis(10_000),
      /** Each downstream call, Stripe's included (capped by what is left of the deadline). */
      CALL_TIMEOUT_MS: millis(5_000),
      STRIPE_API_KEY: str('sk_test_orderflow_local'),
      /** Empty means api.stripe.com; locally the payment-gateway behind its Toxiproxy listener. */
      STRIPE_API_BASE: z.string().default(`http://127.0.0.1:${downstream.payment.proxyPort}`),
      LOG_LEVEL: str('info'),
    },
    env,
  );

export type LegacyConfig = ReturnType<typeof loadLegacyConfig>;

/** A downstream service's base URL: `<NAME>_URL`, or its Toxiproxy listener (as the activities call it). */
export const downstreamUrl = (name: DownstreamName, env: NodeJS.ProcessEnv = process.env): string => {
  const svc = downstream[name];
  return env[`${envPrefix(svc.name)}_URL`] ?? `http://127.0.0.1:${svc.proxyPort}`;
};
