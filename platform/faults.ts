// Application-level fault injection for drills: an error rate and added latency, set at runtime through
// /admin/faults. Network faults are Toxiproxy's job; these are the service misbehaving on its own.
import { type FastifyInstance, type FastifyReply } from 'fastify';
import { trace } from '@opentelemetry/api';
import { z } from 'zod';
import { AppError } from './errors.ts';

export const faultSchema = z.object({
  /** Share of requests answered with `errorStatus`, 0..1. */
  errorRate: z.number().min(0).max(1).default(0),
  errorStatus: z.number().int().min(400).max(599).default(503),
  /** Added before the handler runs, on every matching request. */
  latencyMs: z.number().int().min(0).max(120_000).default(0),
  /** Only requests whose path starts with this prefix are affected; empty means all. */
  pathPrefix: z.string().default(''),
});
export type Faults = z.infer<typeof faultSchema>;

const none: Faults = Object.freeze({ errorRate: 0, errorStatus: 503, latencyMs: 0, pathPrefix: '' });

/** Marks the request's span and response, so a trace (and `npm run diagnose`) shows the fault was ours. */
function markInjected(reply: FastifyReply, kind: 'error' | 'latency'): void {
  trace.getActiveSpan()?.setAttributes({ 'orderflow.fault.injected': true, 'orderflow.fault.kind': kind });
  reply.header('x-orderflow-fault', kind);
}

const exempt = (url: string): boolean =>
  url.startsWith('/admin') || url === '/healthz' || url === '/readyz' || url === '/metrics';

export function registerFaults(app: FastifyInstance, random: () => number = Math.random): void {
  let faults: Faults = none;

  app.addHook('onRequest', async (req, reply) => {
    if (exempt(req.url) || !req.url.startsWith(faults.pathPrefix)) return;
    if (faults.latencyMs > 0) {
      markInjected(reply, 'latency');
      await new Promise((r) => setTimeout(r, faults.latencyMs));
    }
    if (faults.errorRate > 0 && random() < faults.errorRate) {
      markInjected(reply, 'error');
      throw new AppError(
        'INJECTED_FAULT',
        faults.errorStatus,
        `fault injected by /admin/faults (rate ${faults.errorRate})`,
      );
    }
  });

  app.get('/admin/faults', () => faults);
  app.put('/admin/faults', (req) => {
    faults = Object.freeze(faultSchema.parse(req.body ?? {}));
    req.log.warn({ faults }, 'fault injection changed');
    return faults;
  });
  app.delete('/admin/faults', (req) => {
    faults = none;
    req.log.warn('fault injection cleared');
    return faults;
  });
}
