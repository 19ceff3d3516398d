// order-router: the canary router in front of both order pipelines (ADR-0047 phases 2 and 3).
import { serve } from '../../platform/http.ts';
import { createRegistry } from '../../observability/metrics/definitions.ts';
import { shadowStateReader } from '../../contracts/shadow.ts';
import { buildRouterApp } from './app.ts';
import { canaryStateReader } from './canary-reader.ts';
import { loadRouterConfig } from './config.ts';
import { createRouterMetrics } from './metrics.ts';
import { openRoutesStore } from './routes-store.ts';

const config = loadRouterConfig();
const routes = openRoutesStore(config.ROUTES_DB);
const registry = createRegistry();
const canary = canaryStateReader(config.CANARY_STATE_FILE);
const shadowSwitch = shadowStateReader(config.SHADOW_STATE_FILE);
const app = buildRouterApp({
  upstreams: { temporal: config.TEMPORAL_PIPELINE_URL, legacy: config.LEGACY_PIPELINE_URL },
  canaryPercent: canary.percent,
  routes,
  metrics: createRouterMetrics(registry, canary.state),
  registry,
  upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
  logLevel: config.LOG_LEVEL,
  shadow: {
    enabled: shadowSwitch.enabled,
    async mirror(orderId, request) {
      const res = await fetch(`${config.SHADOW_URL}/shadow/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId, request }),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.status;
    },
  },
});
shadowSwitch.onError((err) => app.log.error({ err }, 'shadow switch unreadable: no order is mirrored'));
canary.onError((err) => app.log.error({ err }, 'canary state unreadable: every new order goes to legacy'));

await serve(app, {
  job: 'order-router',
  host: config.HOST,
  port: config.PORT,
  onClose: () => routes.close(),
});
