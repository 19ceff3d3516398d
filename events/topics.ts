// The topics of the contract, their keys, partitions and retention, the dead-letter topics, and
// ensureTopics(): idempotent creation (and repair) of all of them. The broker has
// auto.create.topics.enable=false, so nothing is created by accident with broker defaults.
import { type Admin, type ITopicConfig } from 'kafkajs';
import kafkajs from 'kafkajs';
import { z } from 'zod';
import { loadConfig } from '../platform/config.ts';
import { type OrderEventKind } from '../contracts/events/types.ts';

const { ConfigResourceTypes } = kafkajs; // CommonJS: not a named ESM export

export interface OrderTopics {
  readonly completed: string;
  readonly failed: string;
}

/** The production topic names (ADR-0047). Tests pass their own unique names. */
export const ORDER_TOPICS: OrderTopics = Object.freeze({
  completed: 'orders.completed',
  failed: 'orders.failed',
});

/**
 * Partition keys: completed orders by customer (one customer's events stay in order, e.g. for loyalty),
 * failed orders by order (the ADR's choice; failures have no per-customer ordering need).
 */
export const TOPIC_KEYS: Readonly<Record<OrderEventKind, 'customerId' | 'orderId'>> = {
  completed: 'customerId',
  failed: 'orderId',
};

export const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

export interface TopicSettings {
  readonly partitions: number;
  readonly retentionMs: number;
  readonly replicationFactor: number;
}

const settingsShape = {
  /** Partitions of each order topic (the unit of consumer parallelism). Only ever raised, never lowered. */
  ORDER_EVENTS_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  /** retention.ms of order and dead-letter topics: 30 days (ADR-0047). */
  ORDER_EVENTS_RETENTION_MS: z.coerce.number().int().min(60_000).default(THIRTY_DAYS_MS),
  /** Replication factor at creation; 1 on the single-broker local stack. */
  ORDER_EVENTS_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(10).default(1),
};

export function topicSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TopicSettings {
  const s = loadConfig('order event topics', settingsShape, env);
  return {
    partitions: s.ORDER_EVENTS_PARTITIONS,
    retentionMs: s.ORDER_EVENTS_RETENTION_MS,
    replicationFactor: s.ORDER_EVENTS_REPLICATION_FACTOR,
  };
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level configs this module owns; ensureTopics() sets them on existing topics too. */
  readonly config: Readonly<Record<string, string>>;
}

const topicConfig = (s: TopicSettings): Record<string, string> => ({
  'cleanup.policy': 'delete',
  'retention.ms': String(s.retentionMs),
});

export function orderTopicSpecs(
  topics: OrderTopics = ORDER_TOPICS,
  settings: TopicSettings = topicSettingsFromEnv(),
): TopicSpec[] {
  return [topics.completed, topics.failed].map((name) => ({
    name,
    partitions: settings.partitions,
    replicationFactor: settings.replicationFactor,
    config: topicConfig(settings),
  }));
}

/**
 * One dead-letter topic per consumer group: `dlq.<group>`. A dead letter belongs to the group that
 * could not process it (another group may have processed the same message fine), so replay goes back
 * to that group only. The original topic, partition and offset travel in the message's headers.
 */
export const deadLetterTopic = (group: string): string => `dlq.${group}`;

/** One partition: dead letters are few, and a single partition keeps them in the order they died. */
export function deadLetterTopicSpec(
  group: string,
  settings: TopicSettings = topicSettingsFromEnv(),
): TopicSpec {
  return {
    name: deadLetterTopic(group),
    partitions: 1,
    replicationFactor: settings.replicationFactor,
    config: topicConfig(settings),
  };
}

export interface EnsureTopicResult {
  readonly topic: string;
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly details: readonly string[];
}

/** Kafka errors that mean "the new topic's metadata has not reached every broker view yet". */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * createTopics, then waits (bounded) until every partition of every topic has a leader. kafkajs's own
 * `waitForLeaders` retries only LEADER_NOT_AVAILABLE; a KRaft broker can first answer
 * UNKNOWN_TOPIC_OR_PARTITION for a topic it has just created, which failed a smoke test once. Resolves
 * false when the topics already existed (kafkajs's meaning), like createTopics.
 */
export async function createTopicsAndWait(
  admin: Admin,
  request: { readonly topics: ITopicConfig[] },
  timeoutMs = 15_000,
): Promise<boolean> {
  const created = await admin.createTopics({ topics: request.topics, waitForLeaders: false });
  const names = request.topics.map((t) => t.topic);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      if (topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
        return created;
    } catch (err) {
      if (!NOT_YET.has((err as { type?: string }).type ?? '')) throw err;
    }
    if (Date.now() > deadline)
      throw new Error(`topics ${names.join(', ')} have no leader ${timeoutMs} ms after their creation`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Creates missing topics and brings existing ones to the spec: partitions raised when fewer (never
 * lowered: Kafka cannot, and it would remap keys), configs set when different. Safe to run any number
 * of times, from several processes at once. `createOnly`: create what is missing, leave existing topics
 * alone (for processes that use a topic but do not own its settings, e.g. a consumer and the order topics).
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[] = orderTopicSpecs(),
  options: { readonly createOnly?: boolean } = {},
): Promise<EnsureTopicResult[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.name));
  const created = new Set<string>();
  if (missing.length > 0) {
    await createTopicsAndWait(admin, {
      topics: missing.map((s) => ({
        topic: s.name,
        numPartitions: s.partitions,
        replicationFactor: s.replicationFactor,
        configEntries: Object.entries(s.config).map(([name, value]) => ({ name, value })),
      })),
    });
    // createTopics resolves false when another process created some of them first: check them below.
    const after = new Set(await admin.listTopics());
    for (const s of missing) {
      if (!after.has(s.name)) throw new Error(`topic ${s.name} was not created`);
    }
    for (const s of missing) created.add(s.name);
  }

  const results: EnsureTopicResult[] = [];
  const present = specs.filter((s) => !created.has(s.name));
  if (options.createOnly)
    for (const s of present)
      results.push({ topic: s.name, action: 'unchanged', details: ['exists (not checked: createOnly)'] });
  if (present.length > 0 && !options.createOnly) {
    const metadata = await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) });
    const partitionsOf = new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((s) => ({
        type: ConfigResourceTypes.TOPIC,
        name: s.name,
        configNames: Object.keys(s.config),
      })),
    });
    const configOf = new Map(
      described.resources.map((r) => [
        r.resourceName,
        new Map(r.configEntries.map((e) => [e.configName, e.configValue])),
      ]),
    );

    for (const spec of present) {
      const details: string[] = [];
      const partitions = partitionsOf.get(spec.name) ?? 0;
      if (partitions < spec.partitions) {
        await admin.createPartitions({ topicPartitions: [{ topic: spec.name, count: spec.partitions }] });
        details.push(`partitions ${partitions} -> ${spec.partitions}`);
      } else if (partitions > spec.partitions) {
        details.push(`has ${partitions} partitions, more than the ${spec.partitions} configured: left as is`);
      }
      const current = configOf.get(spec.name) ?? new Map<string, string>();
      const differs = Object.entries(spec.config).filter(([k, v]) => current.get(k) !== v);
      if (differs.length > 0) {
        // AlterConfigs (non-incremental) replaces the topic's dynamic configs: send the full owned set.
        await admin.alterConfigs({
          validateOnly: false,
          resources: [
            {
              type: ConfigResourceTypes.TOPIC,
              name: spec.name,
              configEntries: Object.entries(spec.config).map(([name, value]) => ({ name, value })),
            },
          ],
        });
        details.push(...differs.map(([k, v]) => `${k} ${current.get(k) ?? '(unset)'} -> ${v}`));
      }
      const changed = details.some((d) => d.includes('->'));
      results.push({ topic: spec.name, action: changed ? 'updated' : 'unchanged', details });
    }
  }
  for (const s of specs.filter((x) => created.has(x.name))) {
    results.push({
      topic: s.name,
      action: 'created',
      details: [`${s.partitions} partitions`, ...Object.entries(s.config).map(([k, v]) => `${k}=${v}`)],
    });
  }
  return specs.map((s) => results.find((r) => r.topic === s.name)!);
}
