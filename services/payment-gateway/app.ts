// The payment gateway: a Stripe-compatible subset (payment_intents, refunds) under /v1 that the stripe SDK
// talks to unchanged, next to the kit's /healthz, /readyz and /admin/faults. buildApp() does not listen,
// so tests run it in-process.
import { randomUUID } from 'node:crypto';
import { type FastifyInstance } from 'fastify';
import { type Database } from '../../platform/sqlite.ts';
import { createServiceApp } from '../kit/app.ts';
import { downstream } from '../../platform/downstream.ts';
import { registerApi } from './api.ts';
import { createIdempotency } from './idempotency.ts';
import { chargeRoutes } from './routes/charges.ts';
import { paymentIntentRoutes } from './routes/payment-intents.ts';
import { refundRoutes } from './routes/refunds.ts';
import { createStore } from './store.ts';

export interface AppOptions {
  /** Opened with this service's `migrations` (store.ts). */
  readonly db: Database;
  /** Milliseconds since the epoch; tests pass their own to move time (idempotency keys expire after 24 h). */
  readonly clock?: () => number;
  /** Simulated card-network time per POST; 0 answers at once. */
  readonly processingDelayMs?: number;
  readonly logLevel?: string;
}

export function buildApp({
  db,
  clock = Date.now,
  processingDelayMs = 0,
  logLevel,
}: AppOptions): FastifyInstance {
  const app = createServiceApp({
    service: downstream.payment.name,
    ...(logLevel ? { logLevel } : {}),
    ready: () => void db.prepare('SELECT 1').get(),
  });
  const store = createStore(db);
  // A new owner per app instance: idempotency keys left in flight by an earlier process are taken over.
  const idempotency = createIdempotency(db, clock, randomUUID());
  registerApi(app, {
    db,
    store,
    idempotency,
    clock,
    processingDelayMs,
    routes: [paymentIntentRoutes, refundRoutes, chargeRoutes],
  });
  return app;
}
