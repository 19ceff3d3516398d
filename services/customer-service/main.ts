// Process entry point: configuration, the SQLite file (kept across restarts), demo data, then HTTP.
import { join, resolve } from 'node:path';
import { loadConfig, port, str } from '../kit/config.ts';
import { openDatabase } from '../kit/db.ts';
import { serve } from '../kit/http.ts';
import { downstream } from '../registry.ts';
import { buildApp } from './app.ts';
import { seed } from './seed.ts';
import { migrations } from './store.ts';

const { name: service, port: defaultPort } = downstream.customer;
// The stack keeps all state under .orderflow (or ORDERFLOW_STATE_DIR when it was moved).
const stateDir = process.env.ORDERFLOW_STATE_DIR ?? resolve(import.meta.dirname, '../../.orderflow');

const config = loadConfig(service, {
  HOST: str('127.0.0.1'),
  PORT: port(defaultPort),
  DATA_DIR: str(join(stateDir, 'data', 'services')),
});

const db = openDatabase(join(config.DATA_DIR, `${service}.db`), migrations);
const seeded = seed(db);
const app = buildApp({ db });
if (seeded > 0) app.log.info({ seeded }, 'seeded demo customers');

await serve(app, { host: config.HOST, port: config.PORT, onClose: () => db.close() });
