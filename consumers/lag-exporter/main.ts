// kafka-lag-exporter process: consumer lag of every group in consumers/registry.ts, for Prometheus.
// One process measuring all groups through the admin API on the direct listener (not through Toxiproxy:
// it must keep measuring while chaos hits the consumers). HTTP on KAFKA_LAG_EXPORTER_PORT (8209):
// /metrics, /lag (JSON), /healthz, /readyz (ready = a refresh succeeded within 3 intervals).
import { collectDefaultMetrics } from 'prom-client';
import { DEFAULT_METRICS_OPTIONS } from '../../observability/metrics/definitions.ts';
import { z } from 'zod';
import { loadEventsConfig } from '../../events/config.ts';
import { createKafkaClient } from '../../events/kafka.ts';
import { loadConfig, port, str } from '../../platform/config.ts';
import { createHttpApp, serve } from '../../platform/http.ts';
import { removeScrapeTarget, writeScrapeTarget } from '../../platform/scrape-targets.ts';
import { lagExporter, lagTargets } from '../registry.ts';
import { createLagMetrics, createLagMonitor } from './lag.ts';

const config = loadConfig(lagExporter.name, {
  HOST: str('127.0.0.1'),
  PORT: port(lagExporter.port),
  LAG_REFRESH_INTERVAL_MS: z.coerce.number().int().min(500).default(5_000),
  LOG_LEVEL: str('info'),
});
const events = loadEventsConfig();
const targets = lagTargets(events.topics);

const metrics = createLagMetrics();
collectDefaultMetrics({ register: metrics.registry, ...DEFAULT_METRICS_OPTIONS });
const app = createHttpApp({
  service: lagExporter.name,
  logLevel: config.LOG_LEVEL,
  faults: false,
  ready: () => {
    const { at } = monitor.last();
    if (at === undefined) throw new Error('no lag measured yet');
    if (Date.now() - at > 3 * config.LAG_REFRESH_INTERVAL_MS)
      throw new Error(`last lag measurement ${Math.round((Date.now() - at) / 1000)} s ago`);
  },
});
const monitor = createLagMonitor({
  kafka: createKafkaClient({ clientId: lagExporter.name, brokers: events.kafkaAdminBrokers, log: app.log }),
  targets,
  metrics,
  log: app.log,
});
app.get('/metrics', async (_req, reply) =>
  reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
);
app.get('/lag', () => ({ targets, ...monitor.last() }));

const late: { targetFile?: string; started?: boolean } = {};
await serve(app, {
  host: config.HOST,
  port: config.PORT,
  onClose: async () => {
    if (late.targetFile) removeScrapeTarget(late.targetFile);
    if (late.started) await monitor.stop();
  },
});
late.targetFile = writeScrapeTarget(lagExporter.name, config.HOST, config.PORT);

for (let attempt = 1; ; attempt++) {
  try {
    await monitor.start();
    late.started = true;
    break;
  } catch (err) {
    app.log.warn({ err, attempt }, 'lag exporter could not connect to Kafka, retrying');
    await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 5_000)));
  }
}
monitor.runEvery(config.LAG_REFRESH_INTERVAL_MS);
app.log.info({ targets }, 'measuring consumer lag');
