// RED metrics for an HTTP process (http_server_requests_total, http_server_request_duration_seconds with
// trace exemplars) and its `GET /metrics`, as an instrument for platform/http.ts's app shell.
import { type FastifyInstance } from 'fastify';
import { createHttpMetrics, createRegistry, type MetricsRegistry } from './definitions.ts';
import { observeWithTrace } from './exemplars.ts';

/** RED metrics per route pattern (never the raw URL: ids would explode the label set), and /metrics. */
export const httpMetrics =
  (registry: MetricsRegistry = createRegistry()) =>
  (app: FastifyInstance): void => {
    const metrics = createHttpMetrics(registry);
    app.addHook('onResponse', (req, reply, done) => {
      const labels = {
        method: req.method,
        route: req.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      };
      metrics.requests.labels(labels).inc();
      observeWithTrace(metrics.duration, labels, reply.elapsedTime / 1000);
      done();
    });
    app.get('/metrics', async (_req, reply) =>
      reply.type(registry.contentType).send(await registry.metrics()),
    );
  };
