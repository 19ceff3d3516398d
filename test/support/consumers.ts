// Test support: a consumer from a definition, running in-process against the test bed's topics with
// its own consumer group and a temporary SQLite file, plus its HTTP routes for app.inject.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FastifyInstance } from 'fastify';
import { uniqueId, type EventTestBed } from './events.ts';
import { type AvroRecordSchema } from '../../contracts/events/schemas.ts';
import { type OrderEventKind } from '../../contracts/events/types.ts';
import { type Database } from '../../platform/sqlite.ts';
import { createHttpApp } from '../../platform/http.ts';
import { createEventConsumer, type EventConsumer } from '../../consumers/kit/consumer.ts';
import { openConsumerDatabase } from '../../consumers/kit/database.ts';
import { type ConsumerDefinition } from '../../consumers/kit/definition.ts';
import { type RetryPolicy } from '../../consumers/kit/retry.ts';
import { registerConsumerRoutes } from '../../consumers/kit/process.ts';
import { type Outcome } from '../../consumers/kit/metrics.ts';

export interface TestConsumer {
  readonly definition: ConsumerDefinition;
  readonly group: string;
  readonly db: Database;
  readonly app: FastifyInstance;
  consumer: EventConsumer;
  /** A GET on the consumer's routes, as JSON. */
  get<T>(url: string): Promise<T>;
  /** Events this consumer instance counted with `outcome`, over its topics. */
  count(outcome: Outcome): Promise<number>;
  /** Stops the consumer and starts a new one on the same group and database (a process restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestConsumerOptions {
  readonly group?: string;
  readonly retry?: Partial<RetryPolicy>;
  readonly readerSchemas?: Partial<Record<OrderEventKind, AvroRecordSchema>>;
}

/** Fast retries in tests: 3 attempts, 50 ms base. */
export const TEST_RETRY: Partial<RetryPolicy> = { attempts: 3, baseDelayMs: 50, maxDelayMs: 200 };

export async function startTestConsumer(
  bed: EventTestBed,
  definition: ConsumerDefinition,
  options: TestConsumerOptions = {},
): Promise<TestConsumer> {
  const dir = mkdtempSync(join(tmpdir(), `${definition.name}-`));
  const db = openConsumerDatabase(join(dir, `${definition.name}.db`), definition);
  const group = bed.trackGroup(options.group ?? uniqueId(definition.name));
  const make = () =>
    createEventConsumer({
      definition,
      kafka: bed.proxiedKafka,
      registry: bed.registry,
      db,
      groupId: group,
      topics: bed.topics,
      retry: options.retry ?? TEST_RETRY,
      topicSettings: bed.settings,
      ...(options.readerSchemas ? { readerSchemas: options.readerSchemas } : {}),
    });
  const app = createHttpApp({ service: definition.name, faults: false, logLevel: 'warn' });
  const running: TestConsumer = {
    definition,
    group,
    db,
    app,
    consumer: make(),
    async get<T>(url: string) {
      const res = await app.inject({ method: 'GET', url });
      if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`);
      return res.json<T>();
    },
    async count(outcome) {
      const metric = await running.consumer.metrics.events.get();
      return metric.values
        .filter((v) => v.labels.outcome === outcome && v.labels.group === group)
        .reduce((n, v) => n + v.value, 0);
    },
    async restart() {
      await running.consumer.stop();
      running.consumer = make();
      await running.consumer.start();
      await running.consumer.whenJoined(30_000);
    },
    async stop() {
      await running.consumer.stop();
      await app.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // Routes read through `running.consumer`, so they follow restarts.
  registerConsumerRoutes(
    app,
    {
      get metrics() {
        return running.consumer.metrics;
      },
      status: () => running.consumer.status(),
      pause: () => running.consumer.pause(),
      resume: () => running.consumer.resume(),
    } as EventConsumer,
    db,
    definition,
  );
  await running.consumer.start();
  await running.consumer.whenJoined(30_000);
  return running;
}
