// The app every orderflow HTTP service builds on: the platform's HTTP shell (errors, health, faults,
// shutdown) with the RED metrics and /metrics of the observability library plugged in.
import { type FastifyInstance } from 'fastify';
import { createHttpApp, type ServiceAppOptions } from '../../platform/http.ts';
import { type MetricsRegistry } from '../../observability/metrics/definitions.ts';
import { httpMetrics } from '../../observability/metrics/http.ts';

export { parse } from '../../platform/http.ts';

/** `metrics`: the registry the RED metrics go into (and /metrics serves); a fresh one by default. */
export const createServiceApp = (
  options: Omit<ServiceAppOptions, 'instrument'> & { readonly metrics?: MetricsRegistry },
): FastifyInstance => createHttpApp({ ...options, instrument: httpMetrics(options.metrics) });
