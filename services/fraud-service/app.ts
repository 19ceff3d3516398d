// HTTP routes of the fraud service; the rules live in assessments.ts, the SQL in store.ts.
import { type FastifyInstance } from 'fastify';
import { type Database } from '../../platform/sqlite.ts';
import { createServiceApp, parse } from '../kit/app.ts';
import { AdmissionQueue, OverloadedError } from './admission.ts';
import { assessmentRequest, createFraudService, orderParams, reviewRequest } from './assessments.ts';
import { DEFAULT_INFERENCE_ITERATIONS, MODEL_VERSION } from './model.ts';
import { createAssessmentStore } from './store.ts';

export const SERVICE = 'fraud-service';
export { DEFAULT_INFERENCE_ITERATIONS } from './model.ts';
export const DEFAULT_MAX_QUEUE = 50;

export interface FraudAppOptions {
  readonly db: Database;
  /** Fixed-point iterations per inference: the CPU cost of one assessment. */
  readonly inferenceIterations?: number;
  /** Assessments allowed to wait for the model before new ones get 503 OVERLOADED. */
  readonly maxQueue?: number;
  readonly logLevel?: string;
  readonly now?: () => Date;
}

export function buildApp(options: FraudAppOptions): FastifyInstance {
  const { db, inferenceIterations = DEFAULT_INFERENCE_ITERATIONS, maxQueue = DEFAULT_MAX_QUEUE } = options;
  const queue = new AdmissionQueue(maxQueue);
  const fraud = createFraudService({
    store: createAssessmentStore(db),
    queue,
    iterations: inferenceIterations,
    now: options.now,
  });

  const app = createServiceApp({
    service: SERVICE,
    logLevel: options.logLevel,
    ready: () => void db.prepare('SELECT 1').get(),
  });

  // Shed load the HTTP way: tell the caller when to come back.
  app.addHook('onError', async (_req, reply, err) => {
    if (err instanceof OverloadedError) void reply.header('retry-after', String(err.retryAfterSeconds));
  });

  app.post('/assessments', (req) => fraud.assess(parse(assessmentRequest, req.body)));
  app.get('/assessments/:orderId', (req) => fraud.get(parse(orderParams, req.params).orderId));
  app.post('/assessments/:orderId/review', (req) =>
    fraud.review(parse(orderParams, req.params).orderId, parse(reviewRequest, req.body)),
  );

  // For operators and load tests: how busy the model is.
  app.get('/admin/model', () => ({ modelVersion: MODEL_VERSION, inferenceIterations, ...queue.stats() }));

  return app;
}
