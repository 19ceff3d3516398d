// Test helpers: the gateway listening on a free port with a real stripe SDK client pointed at it, the way
// the payment activities use it, and a temporary folder for database files that must survive a restart.
import { join } from 'node:path';
import { type FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { type Database, openDatabase } from '../../platform/sqlite.ts';
import { buildApp } from '../../services/payment-gateway/app.ts';
import { migrations } from '../../services/payment-gateway/store.ts';
import { startService, type RunningService } from './services.ts';

export interface Gateway {
  readonly app: FastifyInstance;
  readonly db: Database;
  readonly port: number;
  /** An SDK client for this gateway; `maxNetworkRetries` 0 unless a test wants the SDK's own retries. */
  readonly stripe: (options?: { key?: string; maxNetworkRetries?: number }) => Stripe;
  /** Closes the server and the database (the file stays). */
  readonly close: () => Promise<void>;
}

export interface GatewayOptions {
  /** A database file; an in-memory database when absent. */
  readonly file?: string;
  readonly clock?: () => number;
  readonly processingDelayMs?: number;
}

export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const db = openDatabase(options.file ?? ':memory:', migrations);
  const app = buildApp({
    db,
    logLevel: 'silent',
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.processingDelayMs !== undefined ? { processingDelayMs: options.processingDelayMs } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return {
    app,
    db,
    port,
    stripe: ({ key = 'sk_test_orderflow', maxNetworkRetries = 0 } = {}) =>
      new Stripe(key, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries, telemetry: false }),
    close: async () => {
      await app.close();
      db.close();
    },
  };
}

export { tempDir, type TempDir } from './services.ts';

/** Runs `main.ts` as its own process on a free port and waits until /readyz answers. */
export const startProcess = (env: Record<string, string>): Promise<RunningService> =>
  startService(
    join(import.meta.dirname, '..', '..', 'services', 'payment-gateway', 'main.ts'),
    env,
    '/readyz',
  );

/** The options the payment activities use: card only, no redirects, so server-side confirmation works. */
export const serverSide = { payment_method_types: ['card'] } as const;

/** Form-encodes like the SDK does, for `app.inject` requests. */
export const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

export const auth = {
  authorization: 'Bearer sk_test_orderflow',
  'content-type': 'application/x-www-form-urlencoded',
} as const;
