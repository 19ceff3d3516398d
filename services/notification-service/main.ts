// notification-service process: config from the environment, SQLite state under DATA_DIR, HTTP on PORT.
import { join } from 'node:path';
import { z } from 'zod';
import { statePaths } from '../../stack/paths.ts';
import { loadConfig, port, str } from '../kit/config.ts';
import { openDatabase } from '../kit/db.ts';
import { serve } from '../kit/http.ts';
import { downstream } from '../registry.ts';
import { buildApp, SERVICE } from './app.ts';
import { migrations } from './store.ts';

const config = loadConfig(SERVICE, {
  HOST: str('127.0.0.1'),
  PORT: port(downstream.notification.port),
  DATA_DIR: str(join(statePaths.data, 'services')),
  NOTIFICATION_PROVIDER_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
});

const db = openDatabase(join(config.DATA_DIR, `${SERVICE}.db`), migrations);
const app = buildApp({ db, providerFailureRate: config.NOTIFICATION_PROVIDER_FAILURE_RATE });
await serve(app, { host: config.HOST, port: config.PORT, onClose: () => db.close() });
