// shipping-service process: config from the environment, SQLite state under DATA_DIR, HTTP on PORT.
import { z } from 'zod';
import { loadConfig } from '../../platform/config.ts';
import { serve } from '../../platform/http.ts';
import { openServiceDatabase, serviceConfig } from '../../platform/service.ts';
import { downstream } from '../../platform/downstream.ts';
import { buildApp, SERVICE } from './app.ts';
import { migrations } from './store.ts';

const config = loadConfig(SERVICE, {
  ...serviceConfig(downstream.shipping),
  /** Defaults to this process's own address; set it when callers reach the service under another name. */
  LABEL_BASE_URL: z.url().optional(),
  SHIPPING_CARRIER_TIMEOUT_RATE: z.coerce.number().min(0).max(1).default(0),
  SHIPPING_CARRIER_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
});

const db = openServiceDatabase(config.DATA_DIR, downstream.shipping, migrations);
const app = buildApp({
  db,
  labelBaseUrl: config.LABEL_BASE_URL ?? `http://${config.HOST}:${config.PORT}`,
  carrierTimeoutRate: config.SHIPPING_CARRIER_TIMEOUT_RATE,
  carrierTimeoutMs: config.SHIPPING_CARRIER_TIMEOUT_MS,
});
await serve(app, { host: config.HOST, port: config.PORT, job: SERVICE, onClose: () => db.close() });
