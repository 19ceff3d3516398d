// fraud-service process: config from the environment, SQLite state under DATA_DIR, HTTP on PORT.
import { z } from 'zod';
import { loadConfig } from '../../platform/config.ts';
import { serve } from '../../platform/http.ts';
import { openServiceDatabase, serviceConfig } from '../../platform/service.ts';
import { downstream } from '../../platform/downstream.ts';
import { buildApp, DEFAULT_INFERENCE_ITERATIONS, DEFAULT_MAX_QUEUE, SERVICE } from './app.ts';
import { MIN_ITERATIONS } from './model.ts';
import { migrations } from './store.ts';

const config = loadConfig(SERVICE, {
  ...serviceConfig(downstream.fraud),
  FRAUD_INFERENCE_ITERATIONS: z.coerce
    .number()
    .int()
    .min(MIN_ITERATIONS)
    .default(DEFAULT_INFERENCE_ITERATIONS),
  FRAUD_MAX_QUEUE: z.coerce.number().int().min(0).default(DEFAULT_MAX_QUEUE),
});

const db = openServiceDatabase(config.DATA_DIR, downstream.fraud, migrations);
const app = buildApp({
  db,
  inferenceIterations: config.FRAUD_INFERENCE_ITERATIONS,
  maxQueue: config.FRAUD_MAX_QUEUE,
});
await serve(app, { host: config.HOST, port: config.PORT, job: SERVICE, onClose: () => db.close() });
