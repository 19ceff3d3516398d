// The HTTP shell every service shares: JSON logs with trace ids, one error-to-response mapping, health
// endpoints, fault injection, and graceful shutdown. buildApp() is separate from listen(), so tests run
// the app in-process with `app.inject`.
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { trace } from '@opentelemetry/api';
import { type z } from 'zod';
import { AppError, type ErrorBody } from './errors.ts';
import { registerFaults } from './faults.ts';
import { removeScrapeTarget, writeScrapeTarget } from './scrape-targets.ts';

export interface ServiceAppOptions {
  readonly service: string;
  readonly logLevel?: string;
  /** Readiness beyond "the process is up", e.g. a dependency check. */
  readonly ready?: () => Promise<void> | void;
  readonly faults?: boolean;
  /**
   * Instrumentation registered on the app before its routes, e.g. the RED metrics and `GET /metrics` of
   * observability/metrics/http.ts. The platform knows no metrics library: the layer above plugs it in.
   */
  readonly instrument?: (app: FastifyInstance) => void;
}

const loggerOptions = (service: string, level: string): FastifyServerOptions['logger'] => ({
  level,
  base: { service },
  messageKey: 'message',
  // Never log card data or full addresses.
  redact: {
    paths: ['req.headers.authorization', '*.card', '*.shippingAddress', '*.address', '*.line1'],
    censor: '[redacted]',
  },
  mixin() {
    const ctx = trace.getActiveSpan()?.spanContext();
    return ctx ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
  },
});

export function createHttpApp(options: ServiceAppOptions): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(options.service, options.logLevel ?? process.env.LOG_LEVEL ?? 'info'),
    // Per-request log lines only on demand (LOG_REQUESTS=true): at peak they would drown the rest.
    logController: new LogController({ disableRequestLogging: process.env.LOG_REQUESTS !== 'true' }),
    bodyLimit: 256 * 1024,
  });

  app.setErrorHandler((err: unknown, req, reply) => {
    const body = (code: string, message: string, details?: unknown): ErrorBody => ({
      error: details === undefined ? { code, message } : { code, message, details },
    });
    if (err instanceof AppError) {
      if (err.status >= 500) req.log.warn({ code: err.code }, err.message);
      return reply.status(err.status).send(body(err.code, err.message, err.details));
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      // Fastify's own client errors: malformed JSON, wrong content type, body too large.
      const code =
        e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'INVALID_JSON'
          : 'BAD_REQUEST';
      return reply.status(e.statusCode).send(body(code, e.message ?? 'bad request'));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(body('INTERNAL', 'internal error'));
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'ROUTE_NOT_FOUND', message: `${req.method} ${req.url} is not a route` } }),
  );

  // The server span (http instrumentation) knows the URL, not the route: name it after the route, as the
  // semantic conventions ask (`POST /customers/:id/validate`), so spans group by endpoint.
  app.addHook('onRequest', (req, _reply, done) => {
    const route = req.routeOptions.url;
    const span = trace.getActiveSpan();
    if (span && route) {
      span.setAttribute('http.route', route);
      span.updateName(`${req.method} ${route}`);
    }
    done();
  });

  app.get('/healthz', () => ({ status: 'ok', service: options.service }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await options.ready?.();
      return { status: 'ready', service: options.service };
    } catch (err) {
      return reply.status(503).send({ error: { code: 'NOT_READY', message: (err as Error).message } });
    }
  });
  options.instrument?.(app);
  if (options.faults !== false) registerFaults(app);
  return app;
}

/** Validates input against a zod schema, or throws a 400 with a stable code and the offending fields. */
export function parse<T>(schema: z.ZodType<T>, input: unknown, code = 'VALIDATION_FAILED'): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const fields = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError(
      code,
      400,
      `invalid request: ${fields.map((f) => `${f.path || '(body)'} ${f.message}`).join('; ')}`,
      fields,
    );
  }
  return result.data;
}

/** Listens (and writes its scrape target), and on SIGTERM/SIGINT stops accepting, drains in-flight requests, runs `onClose`, exits. */
export async function serve(
  app: FastifyInstance,
  {
    host,
    port,
    onClose,
    job,
  }: {
    host: string;
    port: number;
    onClose?: () => Promise<void> | void;
    /** Announce /metrics to Prometheus (file_sd target `<job>.json`) while listening. */
    job?: string;
  },
): Promise<void> {
  await app.listen({ host, port });
  const target = job ? writeScrapeTarget(job, host, port) : undefined;
  const removeTarget = (): void => {
    if (target) removeScrapeTarget(target);
  };
  process.once('exit', removeTarget);
  const shutdown = (signal: string): void => {
    app.log.info({ signal }, 'shutting down');
    removeTarget();
    void app
      .close()
      .then(() => onClose?.())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
