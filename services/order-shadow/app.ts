// order-shadow's HTTP routes: the router mirrors each order the legacy pipeline took (POST /shadow/orders),
// and the report reads what shadow mode found (GET /shadow/report, GET /shadow/orders/:id).
import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { ShadowErrors } from '../../contracts/shadow.ts';
import type { MetricsRegistry } from '../../observability/metrics/definitions.ts';
import { orderRequestSchema } from '../order-api/app.ts';
import { createServiceApp, parse } from '../kit/app.ts';
import { buildReport } from './report.ts';
import type { ShadowRunner } from './runner.ts';
import type { ShadowStore } from './store.ts';

const orderId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

const mirrorSchema = z.object({ orderId, request: orderRequestSchema }).strict();
const reportQuery = z
  .object({
    since: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
  })
  .strict();

export const SHADOW_MODE_OFF = 'SHADOW_MODE_OFF';

export function buildShadowApp(deps: {
  store: ShadowStore;
  runner: ShadowRunner;
  enabled: () => boolean;
  metrics?: MetricsRegistry;
  logLevel?: string;
}): FastifyInstance {
  const app = createServiceApp({
    service: 'order-shadow',
    faults: false,
    ...(deps.logLevel ? { logLevel: deps.logLevel } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });

  app.post('/shadow/orders', async (req, reply) => {
    const mirror = parse(mirrorSchema, req.body, ShadowErrors.invalidMirror);
    if (!deps.enabled())
      throw new AppError(SHADOW_MODE_OFF, 409, 'shadow mode is off (npm run shadow -- on)');
    const started = await deps.runner.mirror(mirror.orderId, mirror.request);
    return reply.status(202).send({ orderId: mirror.orderId, duplicate: !started });
  });

  app.get<{ Params: { id: string } }>('/shadow/orders/:id', (req) => {
    const id = parse(orderId, req.params.id, ShadowErrors.invalidMirror);
    const row = deps.store.get(id);
    if (!row) throw new AppError(ShadowErrors.notFound, 404, `order ${id} was not mirrored in shadow`);
    return { ...row, intents: deps.store.intents(id) };
  });

  app.get('/shadow/report', (req) => {
    const q = parse(reportQuery, req.query);
    const since = q.since ?? new Date(0).toISOString();
    return buildReport(deps.store.since(since), since, q.limit);
  });

  return app;
}
