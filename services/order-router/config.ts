// order-router's configuration: where each pipeline answers (order-api for the Temporal pipeline,
// legacy-order-service for ADR-0031's), where the canary state and the routes live.
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig, port, str } from '../../platform/config.ts';
import { statePaths } from '../../platform/paths.ts';
import { host, ports } from '../../platform/ports.ts';
import { defaultShadowStatePath } from '../../contracts/shadow.ts';
import { defaultCanaryStatePath } from './canary-state.ts';

export const loadRouterConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    'order-router',
    {
      HOST: str(host),
      PORT: port(ports.orderRouter),
      TEMPORAL_PIPELINE_URL: str(`http://${host}:${env.ORDER_API_PORT || 8080}`),
      LEGACY_PIPELINE_URL: str(`http://${host}:${ports.legacyOrderService}`),
      CANARY_STATE_FILE: str(defaultCanaryStatePath()),
      ROUTES_DB: str(join(statePaths.data, 'services', 'order-router.db')),
      /** Shadow mode's switch (`npm run shadow -- on|off`): on, every order legacy took is mirrored to order-shadow. */
      SHADOW_STATE_FILE: str(defaultShadowStatePath()),
      SHADOW_URL: str(`http://${host}:${ports.orderShadow}`),
      /** Above the legacy pipeline's checkout deadline (10 s): the router never cuts a checkout short. */
      UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
      LOG_LEVEL: str('info'),
    },
    env,
  );
