// order-shadow's configuration, parsed once at start: where the switch, its record and the legacy pipeline
// are, and the Temporal namespace the shadow workflows run in (never the real orders' namespace).
import { join } from 'node:path';
import { loadConfig, port, str } from '../../platform/config.ts';
import { statePaths } from '../../platform/paths.ts';
import { host, ports } from '../../platform/ports.ts';
import { temporalSettings } from '../../platform/temporal.ts';
import { defaultShadowStatePath, SHADOW_NAMESPACE } from '../../contracts/shadow.ts';

export const defaultShadowDb = (): string =>
  process.env.SHADOW_DB ?? join(statePaths.data, 'services', 'order-shadow.db');

export const loadShadowConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const config = loadConfig(
    'order-shadow',
    {
      HOST: str(host),
      PORT: port(ports.orderShadow),
      ...temporalSettings,
      /** The shadow workflows' namespace: its task queues have no real worker, so no task can take effect. */
      SHADOW_TEMPORAL_NAMESPACE: str(SHADOW_NAMESPACE),
      SHADOW_STATE_FILE: str(defaultShadowStatePath()),
      SHADOW_DB: str(defaultShadowDb()),
      /** Where the legacy pipeline's orders are read (GET /orders/:id): the system of record in shadow mode. */
      LEGACY_PIPELINE_URL: str(`http://${host}:${ports.legacyOrderService}`),
      LOG_LEVEL: str('info'),
    },
    env,
  );
  if (config.SHADOW_TEMPORAL_NAMESPACE === config.TEMPORAL_NAMESPACE)
    throw new Error(
      `order-shadow: SHADOW_TEMPORAL_NAMESPACE must differ from TEMPORAL_NAMESPACE (${config.TEMPORAL_NAMESPACE}): ` +
        'in the real namespace the real workers would take the shadow tasks and charge, reserve and ship',
    );
  return config;
};
