// Process entry point: configuration, the SQLite file (kept across restarts), demo data, then HTTP.
import { loadConfig } from '../../platform/config.ts';
import { serve } from '../../platform/http.ts';
import { openServiceDatabase, serviceConfig } from '../../platform/service.ts';
import { downstream } from '../../platform/downstream.ts';
import { buildApp } from './app.ts';
import { seed } from './seed.ts';
import { migrations } from './store.ts';

const SERVICE = downstream.tax;

const config = loadConfig(SERVICE.name, {
  ...serviceConfig(SERVICE),
});

const db = openServiceDatabase(config.DATA_DIR, SERVICE, migrations);
const seeded = seed(db);
const app = buildApp({ db });
if (seeded > 0) app.log.info({ seeded }, 'seeded demo tax rates');

await serve(app, { host: config.HOST, port: config.PORT, job: SERVICE.name, onClose: () => db.close() });
