// The canary router's HTTP routes: the order API of both pipelines, in front of them. POST /orders goes to the
// Temporal pipeline when the order's bucket is under the canary's percentage, else to the legacy one; the
// order's status and review go wherever the order went. Answers are the pipelines' own, relayed unchanged,
// with `x-orderflow-pipeline` naming which one answered.
import { randomUUID } from 'node:crypto';
import { type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import { orderIdFor } from '../../contracts/order-id.ts';
import type { MetricsRegistry } from '../../observability/metrics/definitions.ts';
import { createServiceApp, parse } from '../kit/app.ts';
import { OrderRouterErrors } from './errors.ts';
import type { RouterMetrics } from './metrics.ts';
import type { RoutesStore } from './routes-store.ts';
import { pipelineFor, PIPELINES, type Pipeline } from './routing.ts';
import { forward, type ForwardRequest, type Relayed } from './upstream.ts';

export interface RouterDeps {
  readonly upstreams: Readonly<Record<Pipeline, string>>;
  /** The Temporal pipeline's percentage of new orders now (read from the canary state). */
  readonly canaryPercent: () => number;
  readonly routes: RoutesStore;
  readonly metrics: RouterMetrics;
  readonly registry?: MetricsRegistry;
  readonly upstreamTimeoutMs: number;
  readonly logLevel?: string;
  /** Shadow mode (ADR-0047 phase 1): while on, each order the legacy pipeline took is mirrored to order-shadow. */
  readonly shadow?: ShadowMirroring;
}

export interface ShadowMirroring {
  readonly enabled: () => boolean;
  /** Sends the order to order-shadow; resolves with its HTTP status. Never delays or changes the answer. */
  readonly mirror: (orderId: string, request: unknown) => Promise<number>;
}

/** The order id in a legacy answer: the order (202) or the error's details (422, 502, 504). */
function legacyOrderId(body: unknown): string | undefined {
  const b = body as { orderId?: unknown; error?: { details?: { orderId?: unknown } } } | null;
  const id = b?.orderId ?? b?.error?.details?.orderId;
  return typeof id === 'string' ? id : undefined;
}

const orderId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

export function buildRouterApp(deps: RouterDeps): FastifyInstance {
  const app = createServiceApp({
    service: 'order-router',
    faults: false,
    ...(deps.logLevel ? { logLevel: deps.logLevel } : {}),
    ...(deps.registry ? { metrics: deps.registry } : {}),
  });

  async function send(pipeline: Pipeline, route: string, req: ForwardRequest): Promise<Relayed> {
    const started = performance.now();
    try {
      const relayed = await forward(pipeline, deps.upstreams[pipeline], req, deps.upstreamTimeoutMs);
      deps.metrics.upstream(pipeline, route, relayed.status, (performance.now() - started) / 1000);
      return relayed;
    } catch (err) {
      deps.metrics.upstream(pipeline, route, 502, (performance.now() - started) / 1000);
      throw err;
    }
  }

  const relay = (reply: FastifyReply, pipeline: Pipeline, r: Relayed) => {
    reply.status(r.status).header('x-orderflow-pipeline', pipeline);
    if (r.location) reply.header('location', r.location);
    return reply.send(r.body);
  };

  app.post('/orders', async (req, reply) => {
    const body = req.body as { customerId?: unknown } | null;
    const header = req.headers['idempotency-key'];
    // Without a key, the router makes one: the order id (and so its pipeline) is then known before forwarding.
    const key = typeof header === 'string' ? header : `router-${randomUUID()}`;
    const customerId = typeof body?.customerId === 'string' ? body.customerId : undefined;
    const forwardReq: ForwardRequest = {
      method: 'POST',
      path: '/orders',
      body,
      headers: { 'idempotency-key': key },
    };
    // Not an order either pipeline accepts (no customer): the baseline answers the validation error.
    if (customerId === undefined) return relay(reply, 'legacy', await send('legacy', '/orders', forwardReq));

    const routingId = orderIdFor(customerId, key);
    const known = deps.routes.find(routingId);
    const pipeline = known ?? deps.routes.assign([routingId], pipelineFor(routingId, deps.canaryPercent()));
    if (!known) deps.metrics.routed(pipeline);
    const relayed = await send(pipeline, '/orders', forwardReq);
    const answered = (relayed.body as { orderId?: unknown } | null)?.orderId;
    if (relayed.status < 300 && typeof answered === 'string' && answered !== routingId)
      deps.routes.assign([answered], pipeline);
    // A new order the legacy pipeline decided (not a duplicate): the Temporal pipeline decides it too, in shadow.
    const mirrorId = pipeline === 'legacy' && !known ? legacyOrderId(relayed.body) : undefined;
    if (mirrorId && deps.shadow?.enabled()) {
      const shadow = deps.shadow;
      void shadow.mirror(mirrorId, body).then(
        (status) => {
          deps.metrics.mirrored(status === 202 ? 'sent' : 'refused');
          if (status !== 202) app.log.warn({ orderId: mirrorId, status }, 'order-shadow refused the mirror');
        },
        (err: unknown) => {
          deps.metrics.mirrored('failed');
          app.log.warn({ orderId: mirrorId, err }, 'order-shadow did not answer: order not mirrored');
        },
      );
    }
    return relay(reply, pipeline, relayed);
  });

  /** An order's own pipeline; one the router never saw (submitted straight to a pipeline) is looked for in both. */
  async function toOrder(reply: FastifyReply, route: string, id: string, req: ForwardRequest) {
    const known = deps.routes.find(id);
    if (known) return relay(reply, known, await send(known, route, req));
    let last: { pipeline: Pipeline; relayed: Relayed } | undefined;
    for (const pipeline of PIPELINES) {
      last = { pipeline, relayed: await send(pipeline, route, req) };
      if (last.relayed.status !== 404) break;
    }
    return relay(reply, last!.pipeline, last!.relayed);
  }

  app.get<{ Params: { id: string } }>('/orders/:id', async (req, reply) => {
    const id = parse(orderId, req.params.id, OrderRouterErrors.invalidOrderId);
    return toOrder(reply, '/orders/:id', id, { method: 'GET', path: `/orders/${id}` });
  });

  app.post<{ Params: { id: string } }>('/orders/:id/review', async (req, reply) => {
    const id = parse(orderId, req.params.id, OrderRouterErrors.invalidOrderId);
    return toOrder(reply, '/orders/:id/review', id, {
      method: 'POST',
      path: `/orders/${id}/review`,
      body: req.body,
    });
  });

  return app;
}
