// Where the event clients connect, parsed once from the environment. Defaults make the local stack
// work untouched: producers and consumers go through Toxiproxy (19092) so Kafka chaos reaches them;
// admin work (topic setup, the lag exporter) uses the direct listener (9092), which chaos never touches.
import { z } from 'zod';
import { loadConfig } from '../platform/config.ts';
import { host, ports } from '../platform/ports.ts';
import { ORDER_TOPICS, type OrderTopics } from './topics.ts';
import { loadKafkaSecurity, type KafkaSecurity } from './security.ts';

const brokers = (fallback: string) =>
  z
    .string()
    .min(1)
    .default(fallback)
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter((b) => b !== ''),
    );

const shape = {
  /** Brokers for producers and consumers (comma-separated host:port). */
  KAFKA_BROKERS: brokers(`${host}:${ports.kafkaProxied}`),
  /** Brokers for admin work and lag measurement: the listener that chaos does not touch. */
  KAFKA_ADMIN_BROKERS: brokers(`${host}:${ports.kafka}`),
  /** The schema registry's Confluent-compatible API (Apicurio's ccompat/v7 on the local stack). */
  SCHEMA_REGISTRY_URL: z.url().default(`http://${host}:${ports.schemaRegistry}/apis/ccompat/v7`),
  /** Topic names; override only to isolate a process (a test, a staging copy) from the real topics. */
  ORDERS_COMPLETED_TOPIC: z.string().min(1).default(ORDER_TOPICS.completed),
  ORDERS_FAILED_TOPIC: z.string().min(1).default(ORDER_TOPICS.failed),
};

export type EventsConfig = Readonly<{
  kafkaBrokers: string[];
  kafkaAdminBrokers: string[];
  schemaRegistryUrl: string;
  topics: OrderTopics;
  /** TLS, SASL and registry auth (events/security.ts); empty on the local stack. */
  security: KafkaSecurity;
}>;

export function loadEventsConfig(env: NodeJS.ProcessEnv = process.env): EventsConfig {
  const c = loadConfig('order events', shape, env);
  return Object.freeze({
    kafkaBrokers: c.KAFKA_BROKERS,
    kafkaAdminBrokers: c.KAFKA_ADMIN_BROKERS,
    schemaRegistryUrl: c.SCHEMA_REGISTRY_URL.replace(/\/+$/, ''),
    topics: Object.freeze({ completed: c.ORDERS_COMPLETED_TOPIC, failed: c.ORDERS_FAILED_TOPIC }),
    security: loadKafkaSecurity(env),
  });
}
