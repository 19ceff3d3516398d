// order-api's configuration, parsed once at start. Temporal's address and the order store's location come
// from the same shared defaults the workers use (platform/temporal.ts, order-store/open.ts), so a moved
// Temporal port or state folder moves every process together.
import { z } from 'zod';
import { loadConfig, port, str } from '../../platform/config.ts';
import { temporalSettings } from '../../platform/temporal.ts';
import { defaultOrdersDb } from '../../order-store/index.ts';

export const loadOrderApiConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    'order-api',
    {
      HOST: str('127.0.0.1'),
      PORT: port(8080),
      ...temporalSettings,
      /** The order store: a SQLite file path, or a postgres:// URL. */
      ORDERS_DB: str(defaultOrdersDb()),
      /** How long a flagged order waits for a reviewer; then it is rejected (never charged). */
      REVIEW_TIMEOUT_SECONDS: z.coerce
        .number()
        .int()
        .min(1)
        .default(24 * 60 * 60),
      LOG_LEVEL: str('info'),
    },
    env,
  );
