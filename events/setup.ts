// The Kafka contract on a cluster: order topics (partitions, 30-day retention) and schemas (registered,
// compatibility policy set). Idempotent; the stack runner calls setupOrderEvents() once Kafka and the
// schema registry are ready, or runs this file:
//
//   node events/setup.ts            # uses KAFKA_ADMIN_BROKERS and SCHEMA_REGISTRY_URL (local defaults)
//
// Dead-letter topics are not here: each consumer ensures its own when it starts (consumers/kit), so a
// new consumer needs no change in this contract.
import { type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { type Admin } from 'kafkajs';
import { loadEventsConfig } from './config.ts';
import { createKafkaClient, createSchemaRegistryClient } from './kafka.ts';
import { registerSchemas, type RegisteredOrderSchemas } from './registry.ts';
import {
  ensureTopics,
  ORDER_TOPICS,
  orderTopicSpecs,
  topicSettingsFromEnv,
  type EnsureTopicResult,
  type OrderTopics,
  type TopicSettings,
} from './topics.ts';

export interface SetupOrderEventsOptions {
  readonly admin: Admin;
  readonly registry: SchemaRegistry;
  readonly registryUrl: string;
  readonly topics?: OrderTopics;
  readonly settings?: TopicSettings;
}

export interface SetupReport {
  readonly topics: EnsureTopicResult[];
  readonly schemas: RegisteredOrderSchemas;
}

/** Ensures the order topics and registers both schemas. `admin` must be connected. */
export async function setupOrderEvents(options: SetupOrderEventsOptions): Promise<SetupReport> {
  const topics = options.topics ?? ORDER_TOPICS;
  const topicResults = await ensureTopics(
    options.admin,
    orderTopicSpecs(topics, options.settings ?? topicSettingsFromEnv()),
  );
  const schemas = await registerSchemas(options.registry, { registryUrl: options.registryUrl, topics });
  return { topics: topicResults, schemas };
}

/** The same with clients built from the environment (direct listener, not through Toxiproxy). */
export async function setupOrderEventsFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<SetupReport> {
  const config = loadEventsConfig(env);
  const admin = createKafkaClient({ clientId: 'orderflow-setup', brokers: config.kafkaAdminBrokers }).admin();
  await admin.connect();
  try {
    return await setupOrderEvents({
      admin,
      registry: createSchemaRegistryClient(config.schemaRegistryUrl),
      registryUrl: config.schemaRegistryUrl,
      topics: config.topics,
      settings: topicSettingsFromEnv(env),
    });
  } finally {
    await admin.disconnect();
  }
}

if (import.meta.main) {
  try {
    const report = await setupOrderEventsFromEnv();
    for (const t of report.topics)
      console.log(`topic ${t.topic}: ${t.action}${t.details.length ? ` (${t.details.join(', ')})` : ''}`);
    for (const s of [report.schemas.completed, report.schemas.failed])
      console.log(`schema ${s.subject}: id ${s.id}`);
  } catch (err) {
    console.error(`order events setup failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
