// A running consumer: its own consumer group, the processor for each message, the dead-letter topic for
// what cannot be processed, and offsets committed only after a message was processed or dead-lettered.
// At-least-once delivery + idempotent processing = each event applied once.
import { type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { type Consumer, type Kafka } from 'kafkajs';
import { type EventLogger } from '../../events/kafka.ts';
import { createSafeProducer } from '../../events/producer.ts';
import { type AvroRecordSchema } from '../../contracts/events/schemas.ts';
import {
  deadLetterTopic,
  deadLetterTopicSpec,
  ensureTopics,
  ORDER_TOPICS,
  orderTopicSpecs,
  topicSettingsFromEnv,
  type OrderTopics,
  type TopicSettings,
} from '../../events/topics.ts';
import { type OrderEventKind } from '../../contracts/events/types.ts';
import { type Database } from '../../platform/sqlite.ts';
import { deadLetterMessage, type SourceRecord } from './dead-letter.ts';
import { subscribedKinds, type ConsumerDefinition } from './definition.ts';
import { ConsumerStoppingError } from './errors.ts';
import { createConsumerMetrics, type ConsumerMetrics } from './metrics.ts';
import { ensureProcessedEventsTable, pruneProcessedEvents } from './processed-events.ts';
import { createProcessor, type Processor } from './processor.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.ts';

/** What a consumer's handling is bound to: shared by the live consumer and the dead-letter replay. */
export interface ConsumerBindings {
  readonly definition: ConsumerDefinition;
  readonly kafka: Kafka;
  readonly registry: SchemaRegistry;
  /** The consumer's database, opened with the definition's migrations (openConsumerDatabase). */
  readonly db: Database;
  /** The consumer group; the definition's name by default. */
  readonly groupId?: string;
  readonly topics?: OrderTopics;
  readonly readerSchemas?: Partial<Record<OrderEventKind, AvroRecordSchema>>;
  readonly retry?: Partial<RetryPolicy>;
  readonly metrics?: ConsumerMetrics;
  readonly log?: EventLogger;
}

export interface EventConsumerOptions extends ConsumerBindings {
  /** Where a group without committed offsets starts: the beginning (default), so nothing retained is missed. */
  readonly fromBeginning?: boolean;
  /** Settings for the topics the consumer ensures at start (its subscriptions and its dead-letter topic). */
  readonly topicSettings?: TopicSettings;
  /** kafkajs gave up and will not restart the consumer (processes exit so their supervisor restarts them). */
  readonly onFatal?: (error: Error) => void;
}

export type ConsumerState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed';

export interface ConsumerStatus {
  readonly name: string;
  readonly group: string;
  readonly topics: readonly string[];
  readonly deadLetterTopic: string;
  readonly state: ConsumerState;
  /** A member of its group with partitions assigned: it is consuming (unless paused). */
  readonly joined: boolean;
  readonly paused: boolean;
  readonly lastError?: string;
}

export interface EventConsumer {
  readonly name: string;
  readonly group: string;
  readonly topics: readonly string[];
  readonly deadLetterTopic: string;
  readonly metrics: ConsumerMetrics;
  readonly processor: Processor;
  /** Ensures its topics, connects, subscribes and starts consuming. Throws when Kafka is unreachable. */
  start(): Promise<void>;
  /** Resolves once the consumer has joined its group (partitions assigned). */
  whenJoined(timeoutMs?: number): Promise<void>;
  /** Stops fetching (the message in hand finishes); lag grows until resume(). */
  pause(): void;
  resume(): void;
  /** Finishes the message in hand (no new retries start), leaves the group, disconnects. */
  stop(): Promise<void>;
  status(): ConsumerStatus;
}

/**
 * Offsets are committed at most this often (and when the consumer stops), not after every message: a commit
 * per message was four offset writes on the broker for each order, one per consumer group (issue 15). A
 * crash re-delivers at most this window's events, which the processed-events marks absorb.
 */
export const COMMIT_INTERVAL_MS = 1000;

/** Processed marks are kept 60 days: above the 30-day retention of topics and dead-letter topics. */
const PROCESSED_MARK_RETENTION_MS = 60 * 24 * 60 * 60 * 1000;

export function createEventConsumer(options: EventConsumerOptions): EventConsumer {
  const { definition, kafka, registry, db, log } = options;
  const group = options.groupId ?? definition.name;
  const orderTopics = options.topics ?? ORDER_TOPICS;
  const kinds = subscribedKinds(definition);
  const topics = kinds.map((k) => orderTopics[k]);
  const dlqTopic = deadLetterTopic(group);
  const metrics = options.metrics ?? createConsumerMetrics();
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  metrics.init(group, topics);

  ensureProcessedEventsTable(db);
  pruneProcessedEvents(db, PROCESSED_MARK_RETENTION_MS);
  const processor = createProcessor({
    definition,
    db,
    registry,
    group,
    topics: orderTopics,
    retry,
    metrics,
    ...(options.readerSchemas ? { readerSchemas: options.readerSchemas } : {}),
    ...(log ? { log } : {}),
  });
  const dlq = createSafeProducer(kafka, log);

  let consumer: Consumer | undefined;
  let state: ConsumerState = 'idle';
  let joined = false;
  let paused = false;
  let lastError: string | undefined;
  const stopping = new AbortController();
  let joinWaiters: Array<() => void> = [];

  const pauseTopics = () => topics.map((topic) => ({ topic }));

  // The next offset to commit per topic-partition: each processed (or dead-lettered) message moves it on.
  const pendingOffsets = new Map<string, { topic: string; partition: number; offset: string }>();
  let commitTimer: NodeJS.Timeout | undefined;
  let commitsInFlight: Promise<void> = Promise.resolve();

  function markProcessed(record: SourceRecord): void {
    pendingOffsets.set(`${record.topic}/${record.partition}`, {
      topic: record.topic,
      partition: record.partition,
      offset: (BigInt(record.offset) + 1n).toString(),
    });
    commitTimer ??= setTimeout(() => void flushOffsets(), COMMIT_INTERVAL_MS);
  }

  /** Commits what was processed so far. A failed commit is logged and dropped: those events come again, deduped. */
  function flushOffsets(): Promise<void> {
    clearTimeout(commitTimer);
    commitTimer = undefined;
    const offsets = [...pendingOffsets.values()];
    pendingOffsets.clear();
    const c = consumer;
    if (offsets.length === 0 || !c) return commitsInFlight;
    commitsInFlight = commitsInFlight.then(() =>
      c.commitOffsets(offsets).catch((err: unknown) => {
        log?.warn(
          { group, offsets, error: (err as Error).message },
          'offset commit failed; those events will be redelivered',
        );
      }),
    );
    return commitsInFlight;
  }

  async function handle(record: SourceRecord, heartbeat: () => Promise<void>): Promise<void> {
    const end = metrics.duration.startTimer({ group, topic: record.topic });
    let result;
    try {
      result = await processor.process(record, { heartbeat, signal: stopping.signal });
    } catch (err) {
      if (err instanceof ConsumerStoppingError) return; // not committed: redelivered after the restart, deduped
      throw err;
    }
    if (result.status === 'failed') {
      // Throws if the dead-letter topic is unreachable: kafkajs then redelivers the message (no commit).
      await dlq.send({
        topic: dlqTopic,
        messages: [deadLetterMessage(record, { group, error: result.error, attempts: result.attempts })],
      });
      metrics.deadLetters.labels(group, record.topic).inc();
      metrics.events.labels(group, record.topic, 'dead_lettered').inc();
      log?.error(
        {
          group,
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          eventId: result.eventId,
          attempts: result.attempts,
          error: result.error,
          deadLetterTopic: dlqTopic,
        },
        'event dead-lettered',
      );
    } else {
      metrics.events.labels(group, record.topic, result.status).inc();
    }
    // Committed only from now on: processed (with its mark) or safely on the dead-letter topic.
    markProcessed(record);
    end();
  }

  return {
    name: definition.name,
    group,
    topics,
    deadLetterTopic: dlqTopic,
    metrics,
    processor,

    async start() {
      if (state === 'running' || state === 'starting') return;
      state = 'starting';
      try {
        const settings = options.topicSettings ?? topicSettingsFromEnv();
        const admin = kafka.admin();
        await admin.connect();
        try {
          // The order topics belong to the contract (events/setup.ts): create them if missing, never alter
          // them (a different ORDER_EVENTS_PARTITIONS here must not repartition them). The dead-letter topic is ours.
          await ensureTopics(
            admin,
            orderTopicSpecs(orderTopics, settings).filter((s) => topics.includes(s.name)),
            { createOnly: true },
          );
          await ensureTopics(admin, [deadLetterTopicSpec(group, settings)]);
        } finally {
          await admin.disconnect();
        }
        await dlq.connect();
        if (stopping.signal.aborted) throw new ConsumerStoppingError('stopped while starting');

        const c = kafka.consumer({
          groupId: group,
          allowAutoTopicCreation: false,
          maxWaitTimeInMs: 1_000,
          sessionTimeout: 30_000,
          heartbeatInterval: 3_000,
        });
        consumer = c;
        c.on(c.events.GROUP_JOIN, () => {
          joined = true;
          if (paused) c.pause(pauseTopics()); // a rejoin (after a crash restart) forgets pauses
          const waiters = joinWaiters;
          joinWaiters = [];
          for (const w of waiters) w();
        });
        c.on(c.events.REBALANCING, () => {
          joined = false;
        });
        c.on(c.events.CRASH, (e) => {
          joined = false;
          lastError = e.payload.error.message;
          log?.error(
            { group, error: e.payload.error.message, restart: e.payload.restart },
            'consumer crashed',
          );
          if (!e.payload.restart) {
            state = 'crashed';
            options.onFatal?.(e.payload.error);
          }
        });
        await c.connect();
        await c.subscribe({ topics, fromBeginning: options.fromBeginning ?? true });
        await c.run({
          autoCommit: false,
          partitionsConsumedConcurrently: 1,
          eachMessage: async (payload) => {
            if (stopping.signal.aborted) return;
            const { topic, partition, message } = payload;
            await handle(
              {
                topic,
                partition,
                offset: message.offset,
                timestamp: message.timestamp,
                key: message.key,
                value: message.value,
                headers: message.headers,
              },
              () => payload.heartbeat(),
            );
          },
        });
        if (stopping.signal.aborted) throw new ConsumerStoppingError('stopped while starting');
        if (paused) c.pause(pauseTopics());
        state = 'running';
        log?.info({ group, topics, deadLetterTopic: dlqTopic }, 'consumer started');
      } catch (err) {
        state = stopping.signal.aborted ? 'stopped' : 'idle';
        lastError = (err as Error).message;
        await consumer?.disconnect().catch(() => undefined);
        await dlq.disconnect().catch(() => undefined);
        consumer = undefined;
        throw err;
      }
    },

    whenJoined(timeoutMs = 30_000) {
      if (joined) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${group} did not join its consumer group within ${timeoutMs} ms`)),
          timeoutMs,
        );
        joinWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },

    pause() {
      paused = true;
      if (consumer && state === 'running') consumer.pause(pauseTopics());
    },

    resume() {
      paused = false;
      if (consumer && state === 'running') consumer.resume(pauseTopics());
    },

    async stop() {
      if (state === 'stopped') return;
      state = 'stopping';
      stopping.abort();
      try {
        // The message in hand finishes, then what was processed is committed, then the group is left.
        await consumer?.stop();
        await flushOffsets();
        await consumer?.disconnect();
        await dlq.disconnect();
      } finally {
        joined = false;
        state = 'stopped';
      }
    },

    status() {
      return {
        name: definition.name,
        group,
        topics,
        deadLetterTopic: dlqTopic,
        state,
        joined,
        paused,
        ...(lastError ? { lastError } : {}),
      };
    },
  };
}
