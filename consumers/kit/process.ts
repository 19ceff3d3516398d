// A consumer as a process: config from the environment, its SQLite file under DATA_DIR, the consumer,
// and an HTTP endpoint with its state routes, /healthz, /readyz (ready = a member of its consumer
// group), /metrics, /status and /admin/pause|resume. Registers its Prometheus scrape target while it
// runs. SIGTERM: stop accepting, finish the message in hand, leave the group, close, exit.
import { join } from 'node:path';
import { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics } from 'prom-client';
import { DEFAULT_METRICS_OPTIONS } from '../../observability/metrics/definitions.ts';
import { z } from 'zod';
import { loadEventsConfig } from '../../events/config.ts';
import { createKafkaClient, createSchemaRegistryClient } from '../../events/kafka.ts';
import { loadConfig, port, str } from '../../platform/config.ts';
import { type Database } from '../../platform/sqlite.ts';
import { createHttpApp, serve } from '../../platform/http.ts';
import { statePaths } from '../../platform/paths.ts';
import { type ConsumerProcess } from '../registry.ts';
import { createEventConsumer, type EventConsumer } from './consumer.ts';
import { openConsumerDatabase } from './database.ts';
import { type ConsumerDefinition } from './definition.ts';
import { createConsumerMetrics } from './metrics.ts';
import { sleep, type RetryPolicy } from './retry.ts';
import { removeScrapeTarget, writeScrapeTarget } from '../../platform/scrape-targets.ts';

export const DEFAULT_DATA_DIR = join(statePaths.data, 'consumers');

export function loadConsumerConfig(info: ConsumerProcess, env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(
    info.name,
    {
      HOST: str('127.0.0.1'),
      PORT: port(info.port),
      /** `<DATA_DIR>/<name>.db`; under ORDERFLOW_STATE_DIR (default `<repo>/.orderflow`) `data/consumers`. */
      DATA_DIR: str(DEFAULT_DATA_DIR),
      /** Override only to isolate a copy (tests); the group is the consumer's identity. */
      CONSUMER_GROUP: str(info.group),
      CONSUMER_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
      CONSUMER_RETRY_BASE_MS: z.coerce.number().int().min(0).default(200),
      CONSUMER_RETRY_MAX_MS: z.coerce.number().int().min(0).default(5_000),
      LOG_LEVEL: str('info'),
    },
    env,
  );
}

/** The retry policy a consumer process (and its dead-letter replay) configures from its environment. */
export const retryPolicyOf = (config: ReturnType<typeof loadConsumerConfig>): RetryPolicy => ({
  attempts: config.CONSUMER_RETRY_ATTEMPTS,
  baseDelayMs: config.CONSUMER_RETRY_BASE_MS,
  maxDelayMs: config.CONSUMER_RETRY_MAX_MS,
});

/** The routes every consumer process has besides its own. */
export function registerConsumerRoutes(
  app: FastifyInstance,
  consumer: EventConsumer,
  db: Database,
  definition: ConsumerDefinition,
): void {
  definition.routes?.(app, db);
  app.get('/status', () => consumer.status());
  app.post('/admin/pause', () => {
    consumer.pause();
    return consumer.status();
  });
  app.post('/admin/resume', () => {
    consumer.resume();
    return consumer.status();
  });
  app.get('/metrics', async (_req, reply) =>
    reply.type(consumer.metrics.registry.contentType).send(await consumer.metrics.registry.metrics()),
  );
}

export async function runConsumerProcess(
  definition: ConsumerDefinition,
  info: ConsumerProcess,
): Promise<void> {
  const config = loadConsumerConfig(info);
  const events = loadEventsConfig();
  const db = openConsumerDatabase(join(config.DATA_DIR, `${definition.name}.db`), definition);
  const metrics = createConsumerMetrics();
  collectDefaultMetrics({ register: metrics.registry, ...DEFAULT_METRICS_OPTIONS });

  const late: { consumer?: EventConsumer; targetFile?: string } = {}; // referenced by closures before they exist
  const app = createHttpApp({
    service: definition.name,
    logLevel: config.LOG_LEVEL,
    faults: false,
    ready: () => {
      const s = late.consumer?.status();
      if (!s?.joined)
        throw new Error(s?.lastError ?? `not yet a member of consumer group ${config.CONSUMER_GROUP}`);
    },
  });
  const kafka = createKafkaClient({ clientId: definition.name, brokers: events.kafkaBrokers, log: app.log });
  const consumer = createEventConsumer({
    definition,
    kafka,
    registry: createSchemaRegistryClient(events.schemaRegistryUrl),
    db,
    groupId: config.CONSUMER_GROUP,
    topics: events.topics,
    retry: retryPolicyOf(config),
    metrics,
    log: app.log,
    onFatal: (err) => {
      app.log.fatal({ err }, 'consumer stopped for good; exiting so the supervisor restarts the process');
      if (late.targetFile) removeScrapeTarget(late.targetFile);
      void app.close().finally(() => process.exit(1));
    },
  });
  late.consumer = consumer;
  registerConsumerRoutes(app, consumer, db, definition);

  const stopping = new AbortController();
  await serve(app, {
    host: config.HOST,
    port: config.PORT,
    onClose: async () => {
      stopping.abort();
      if (late.targetFile) removeScrapeTarget(late.targetFile);
      await consumer.stop();
      db.close();
    },
  });
  late.targetFile = writeScrapeTarget(definition.name, config.HOST, config.PORT);

  // Kafka may be down when the process starts: keep trying; /readyz says why it is not ready yet.
  void (async () => {
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      try {
        await consumer.start();
        return;
      } catch (err) {
        app.log.warn({ err, attempt }, 'consumer could not start, retrying');
        await sleep(Math.min(500 * attempt, 5_000), stopping.signal).catch(() => undefined);
      }
    }
  })();
}
