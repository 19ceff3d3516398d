// order-api's HTTP routes: thin, validated, and mapped to stable error codes.
import type { MetricsRegistry } from '../../observability/metrics/definitions.ts';
import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createServiceApp, parse } from '../kit/app.ts';
import { OrderApiErrors } from './errors.ts';
import type { Orders } from './orders.ts';

const id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

export const orderRequestSchema = z
  .object({
    customerId: id,
    items: z
      .array(z.object({ sku: id, quantity: z.number().int().min(1).max(1000) }).strict())
      .min(1)
      .max(50),
    shippingAddress: z
      .object({
        line1: z.string().trim().min(1).max(200),
        city: z.string().trim().min(1).max(100),
        postalCode: z.string().trim().min(1).max(20),
        country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case'),
      })
      .strict(),
    paymentMethod: z.string().regex(/^pm_[A-Za-z0-9_]{1,100}$/, 'a Stripe PaymentMethod id (pm_...)'),
    couponCode: z.string().min(1).max(40).optional(),
  })
  .strict();

const reviewSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    reviewer: z.string().min(1).max(200),
    note: z.string().max(1000).optional(),
  })
  .strict();

const idempotencyKeySchema = z.string().min(1).max(255).optional();

export function buildApp(deps: {
  orders: Orders;
  ready: () => Promise<void>;
  logLevel?: string;
  /** Where the RED metrics (and whatever the caller registers) go; a fresh registry by default. */
  metrics?: MetricsRegistry;
}): FastifyInstance {
  const app = createServiceApp({
    service: 'order-api',
    ready: deps.ready,
    faults: false,
    logLevel: deps.logLevel,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });

  app.post('/orders', async (req, reply) => {
    const request = parse(orderRequestSchema, req.body);
    const key = parse(
      idempotencyKeySchema,
      req.headers['idempotency-key'],
      OrderApiErrors.invalidIdempotencyKey,
    );
    const accepted = await deps.orders.submit(request, key);
    return reply
      .status(202)
      .header('location', `/orders/${accepted.orderId}`)
      .send({
        ...accepted,
        links: { self: `/orders/${accepted.orderId}`, review: `/orders/${accepted.orderId}/review` },
      });
  });

  app.get<{ Params: { id: string } }>('/orders/:id', async (req) =>
    deps.orders.get(parse(id, req.params.id, OrderApiErrors.invalidOrderId)),
  );

  app.post<{ Params: { id: string } }>('/orders/:id/review', async (req) => {
    const orderId = parse(id, req.params.id, OrderApiErrors.invalidOrderId);
    return deps.orders.review(orderId, parse(reviewSchema, req.body));
  });

  return app;
}
