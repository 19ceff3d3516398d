// HTTP routes of the inventory service. Thin: validate, call the domain, shape the status code. Every
// reservation write goes through the stock lock (lock.ts); reads do not wait for it.
import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type Database } from '../../platform/sqlite.ts';
import { createServiceApp, parse } from '../kit/app.ts';
import { downstream } from '../../platform/downstream.ts';
import { stockLock } from './lock.ts';
import { defaultTtlSeconds, reservationService } from './reservations.ts';
import { stockService } from './stock.ts';
import { inventoryStore } from './store.ts';

export interface AppOptions {
  readonly db: Database;
  /** The clock; tests pass their own to move time past a reservation's TTL. */
  readonly now?: () => Date;
  /** How long each reservation write holds the stock lock (INVENTORY_LOCK_DELAY_MS). */
  readonly lockDelayMs?: number;
  readonly logLevel?: string;
}

// Ids travel in URL paths: keep them to characters that need no escaping, and within Fastify's
// 100-character limit for a path parameter.
const id = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'letters, digits, ".", "_", ":" or "-", at most 100');
const line = z.object({ sku: id, quantity: z.number().int().min(1).max(1_000_000) });
const items = z.array(line).min(1).max(100);

const availabilityRequest = z.object({ items });
const reservationRequest = z.object({
  reservationId: id,
  items,
  ttlSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(defaultTtlSeconds),
});
const restockRequest = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  onHand: z.number().int().min(0).max(1_000_000_000),
});
const skuParams = z.object({ sku: id });
const idParams = z.object({ id });

export function buildApp({
  db,
  now = () => new Date(),
  lockDelayMs = 0,
  logLevel,
}: AppOptions): FastifyInstance {
  const app = createServiceApp({ service: downstream.inventory.name, ...(logLevel ? { logLevel } : {}) });
  const store = inventoryStore(db);
  const stock = stockService(db, store, now);
  const reservations = reservationService(db, store, stock, now);
  const locked = stockLock(lockDelayMs);

  app.post('/availability', (req) => stock.availability(parse(availabilityRequest, req.body).items));
  app.get('/stock/:sku', (req) => stock.stock(parse(skuParams, req.params).sku));
  // Admin: a stock count or a delivery sets on-hand (and creates a SKU that is new).
  app.put('/stock/:sku', (req) =>
    stock.restock(parse(skuParams, req.params).sku, parse(restockRequest, req.body)),
  );

  app.post('/reservations', async (req, reply) => {
    const request = parse(reservationRequest, req.body);
    const { created, reservation } = await locked(() => reservations.reserve(request));
    return reply.status(created ? 201 : 200).send(reservation);
  });
  app.get('/reservations/:id', (req) => reservations.get(parse(idParams, req.params).id));
  app.post('/reservations/:id/release', (req) => {
    const { id } = parse(idParams, req.params);
    return locked(() => reservations.release(id));
  });
  app.post('/reservations/:id/commit', (req) => {
    const { id } = parse(idParams, req.params);
    return locked(() => reservations.commit(id));
  });

  return app;
}
