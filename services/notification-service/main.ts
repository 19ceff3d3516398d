// notification-service process: config from the environment, SQLite state under DATA_DIR, HTTP on PORT.
import { z } from 'zod';
import { loadConfig } from '../../platform/config.ts';
import { serve } from '../../platform/http.ts';
import { openServiceDatabase, serviceConfig } from '../../platform/service.ts';
import { downstream } from '../../platform/downstream.ts';
import { buildApp, SERVICE } from './app.ts';
import { migrations } from './store.ts';

const config = loadConfig(SERVICE, {
  ...serviceConfig(downstream.notification),
  NOTIFICATION_PROVIDER_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
});

const db = openServiceDatabase(config.DATA_DIR, downstream.notification, migrations);
const app = buildApp({ db, providerFailureRate: config.NOTIFICATION_PROVIDER_FAILURE_RATE });
await serve(app, { host: config.HOST, port: config.PORT, job: SERVICE, onClose: () => db.close() });
