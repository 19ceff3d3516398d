// legacy-order-service's HTTP routes: order-api's contract (the same request schema, Idempotency-Key,
// error envelope and codes, `GET /orders/:id`), answered synchronously: POST /orders returns when the
// checkout has ended, 202 with the order (completed) as order-api accepts, or an error naming the failure and
// whether the customer was charged.
import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import type { MetricsRegistry } from '../../observability/metrics/definitions.ts';
import type { OrderRecord } from '../../order-store/index.ts';
import { createServiceApp, parse } from '../kit/app.ts';
import { orderRequestSchema } from '../order-api/app.ts';
import { OrderApiErrors } from '../order-api/errors.ts';
import type { CheckoutResult } from './checkout.ts';
import { LegacyErrors } from './errors.ts';
import type { LegacyOrders } from './orders.ts';

const id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');
const idempotencyKeySchema = z.string().min(1).max(255).optional();

/** The order as GET /orders/:id shows it: order-api's shape, from the record (there is no live state). */
export function present(o: OrderRecord) {
  return {
    orderId: o.orderId,
    workflowId: null,
    pipeline: 'legacy',
    status: o.status,
    customerId: o.customerId,
    items: o.request.items,
    totals: o.pricing
      ? {
          currency: o.pricing.currency,
          subtotalCents: o.pricing.subtotalCents,
          discountCents: o.pricing.discountCents,
          taxCents: o.pricing.taxCents,
          totalCents: o.pricing.totalCents,
        }
      : null,
    paymentIntentId: o.paymentIntentId,
    trackingNumber: o.trackingNumber,
    carrier: o.carrier,
    failure: o.failure,
    compensations: o.compensations,
    timeline: [],
    traceId: o.traceId,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

/** A checkout that did not complete, as the error it answers with. */
export function failureError(
  orderId: string,
  result: Extract<CheckoutResult, { status: 'failed' }>,
): AppError {
  const details = {
    orderId,
    failure: result.failure,
    charged: result.charged
      ? { paymentIntentId: result.charged.paymentIntentId, amountCents: result.charged.amountCents }
      : null,
  };
  const message = `order ${orderId} failed at ${result.failure.step}: ${result.failure.message}`;
  if (result.declined) return new AppError(LegacyErrors.orderDeclined, 422, message, details);
  if (result.deadlineExceeded)
    return new AppError(LegacyErrors.checkoutDeadlineExceeded, 504, message, details);
  return new AppError(LegacyErrors.downstreamFailed, 502, message, details);
}

export function buildApp(deps: {
  orders: LegacyOrders;
  ready?: () => Promise<void>;
  logLevel?: string;
  metrics?: MetricsRegistry;
}): FastifyInstance {
  const app = createServiceApp({
    service: 'legacy-order-service',
    faults: false,
    ...(deps.ready ? { ready: deps.ready } : {}),
    ...(deps.logLevel ? { logLevel: deps.logLevel } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });

  app.post('/orders', async (req, reply) => {
    const request = parse(orderRequestSchema, req.body);
    const key = parse(
      idempotencyKeySchema,
      req.headers['idempotency-key'],
      OrderApiErrors.invalidIdempotencyKey,
    );
    const submitted = await deps.orders.submit(request, key);
    const { order } = submitted;
    const links = { self: `/orders/${order.orderId}` };
    // 202 like order-api, for a new order and a duplicate alike (a duplicate's status says where it is: still
    // running in another request, or its stored outcome); the body already carries the finished order.
    if (submitted.duplicate)
      return reply
        .status(202)
        .header('location', links.self)
        .send({ ...present(order), duplicate: true, links });
    if (submitted.result.status === 'failed') throw failureError(order.orderId, submitted.result);
    return reply
      .status(202)
      .header('location', links.self)
      .send({ ...present(order), duplicate: false, links });
  });

  app.get<{ Params: { id: string } }>('/orders/:id', async (req) =>
    present(await deps.orders.get(parse(id, req.params.id, OrderApiErrors.invalidOrderId))),
  );

  return app;
}
