// Process entry point: configuration, the SQLite file (kept across restarts), then HTTP.
import { join, resolve } from 'node:path';
import { loadConfig, num, port, str } from '../kit/config.ts';
import { openDatabase } from '../kit/db.ts';
import { serve } from '../kit/http.ts';
import { downstream } from '../registry.ts';
import { buildApp } from './app.ts';
import { migrations } from './store.ts';

const { name: service, port: defaultPort } = downstream.payment;
// The stack keeps all state under .orderflow (or ORDERFLOW_STATE_DIR when it was moved).
const stateDir = process.env.ORDERFLOW_STATE_DIR ?? resolve(import.meta.dirname, '../../.orderflow');

const config = loadConfig(service, {
  HOST: str('127.0.0.1'),
  PORT: port(defaultPort),
  DATA_DIR: str(join(stateDir, 'data', 'services')),
  /** Simulated card-network latency added to every POST, in milliseconds. */
  PROCESSING_DELAY_MS: num(0),
});

const db = openDatabase(join(config.DATA_DIR, `${service}.db`), migrations);
const app = buildApp({ db, processingDelayMs: Math.max(0, config.PROCESSING_DELAY_MS) });

await serve(app, { host: config.HOST, port: config.PORT, onClose: () => db.close() });
