// Process entry point: configuration, the SQLite file (kept across restarts), then HTTP.
import { loadConfig, num } from '../../platform/config.ts';
import { serve } from '../../platform/http.ts';
import { openServiceDatabase, serviceConfig } from '../../platform/service.ts';
import { downstream } from '../../platform/downstream.ts';
import { buildApp } from './app.ts';
import { migrations } from './store.ts';

const SERVICE = downstream.payment;

const config = loadConfig(SERVICE.name, {
  ...serviceConfig(SERVICE),
  /** Simulated card-network latency added to every POST, in milliseconds. */
  PROCESSING_DELAY_MS: num(0),
});

const db = openServiceDatabase(config.DATA_DIR, SERVICE, migrations);
const app = buildApp({ db, processingDelayMs: Math.max(0, config.PROCESSING_DELAY_MS) });

await serve(app, { host: config.HOST, port: config.PORT, job: SERVICE.name, onClose: () => db.close() });
