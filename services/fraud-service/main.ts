// fraud-service process: config from the environment, SQLite state under DATA_DIR, HTTP on PORT.
import { join } from 'node:path';
import { z } from 'zod';
import { statePaths } from '../../stack/paths.ts';
import { loadConfig, port, str } from '../kit/config.ts';
import { openDatabase } from '../kit/db.ts';
import { serve } from '../kit/http.ts';
import { downstream } from '../registry.ts';
import { buildApp, DEFAULT_INFERENCE_ITERATIONS, DEFAULT_MAX_QUEUE, SERVICE } from './app.ts';
import { MIN_ITERATIONS } from './model.ts';
import { migrations } from './store.ts';

const config = loadConfig(SERVICE, {
  HOST: str('127.0.0.1'),
  PORT: port(downstream.fraud.port),
  DATA_DIR: str(join(statePaths.data, 'services')),
  FRAUD_INFERENCE_ITERATIONS: z.coerce
    .number()
    .int()
    .min(MIN_ITERATIONS)
    .default(DEFAULT_INFERENCE_ITERATIONS),
  FRAUD_MAX_QUEUE: z.coerce.number().int().min(0).default(DEFAULT_MAX_QUEUE),
});

const db = openDatabase(join(config.DATA_DIR, `${SERVICE}.db`), migrations);
const app = buildApp({
  db,
  inferenceIterations: config.FRAUD_INFERENCE_ITERATIONS,
  maxQueue: config.FRAUD_MAX_QUEUE,
});
await serve(app, { host: config.HOST, port: config.PORT, onClose: () => db.close() });
