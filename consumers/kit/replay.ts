// Replays a consumer group's dead letters after a fix, to that group only.
//
// Design: the dead letters are processed by the group's own processor (the fixed code, the group's
// database, the same idempotency), not copied back to the original topic. Copying back would deliver
// them to every group on the topic again (the others processed or dead-lettered them already) and move
// them to the end of their partition; re-delivery to the one group that failed touches nobody else.
// Idempotency makes it safe even if the event was meanwhile processed (it is then a duplicate).
//
// Progress: a consumer group of its own, `<group>.replay`, commits its offsets on the dead-letter
// topic, so each dead letter is replayed once. A dead letter that fails again is appended to the
// dead-letter topic again (dlq-replays + 1) and the replay moves on: one poison message never blocks
// the others, and the next replay after a further fix picks it up. A run reads up to the end offsets
// it saw when it started, so it always finishes.
import { type IHeaders } from 'kafkajs';
import { headerString, HEADERS } from '../../events/headers.ts';
import { createSafeProducer } from '../../events/producer.ts';
import { deadLetterTopic, ORDER_TOPICS } from '../../events/topics.ts';
import { deadLetterMessage, parseDeadLetter } from './dead-letter.ts';
import { describeError } from './errors.ts';
import { createConsumerMetrics } from './metrics.ts';
import { ensureProcessedEventsTable } from './processed-events.ts';
import { type ConsumerBindings } from './consumer.ts';
import { createProcessor } from './processor.ts';
import { DEFAULT_RETRY } from './retry.ts';

export interface ReplayOptions extends ConsumerBindings {
  /** List what would be replayed; process and commit nothing. */
  readonly dryRun?: boolean;
  /** Gives up (and throws) when the run has not reached the end offsets by then. */
  readonly timeoutMs?: number;
}

export interface ReplayEntry {
  readonly dlqPartition: number;
  readonly dlqOffset: string;
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  readonly eventId?: string;
  readonly error: string;
  readonly attempts: number;
  readonly replays: number;
  /** Absent in a dry run. `dead_lettered`: failed again, appended to the dead-letter topic again. */
  readonly outcome?: 'processed' | 'duplicate' | 'dead_lettered';
  readonly newError?: string;
}

export interface ReplayReport {
  readonly group: string;
  readonly deadLetterTopic: string;
  readonly replayGroup: string;
  readonly dryRun: boolean;
  readonly entries: readonly ReplayEntry[];
  readonly processed: number;
  readonly duplicates: number;
  readonly deadLetteredAgain: number;
}

export const replayGroupOf = (group: string): string => `${group}.replay`;

export async function replayDeadLetters(options: ReplayOptions): Promise<ReplayReport> {
  const { definition, kafka, registry, db, log } = options;
  const group = options.groupId ?? definition.name;
  const dlqTopic = deadLetterTopic(group);
  const replayGroup = replayGroupOf(group);
  const dryRun = options.dryRun ?? false;
  const metrics = options.metrics ?? createConsumerMetrics();
  const entries: ReplayEntry[] = [];
  const report = (): ReplayReport => ({
    group,
    deadLetterTopic: dlqTopic,
    replayGroup,
    dryRun,
    entries,
    processed: entries.filter((e) => e.outcome === 'processed').length,
    duplicates: entries.filter((e) => e.outcome === 'duplicate').length,
    deadLetteredAgain: entries.filter((e) => e.outcome === 'dead_lettered').length,
  });

  // What is pending: from the replay group's committed offset to the end offset seen now.
  const admin = kafka.admin();
  await admin.connect();
  const pending = new Map<number, { from: bigint; end: bigint }>();
  try {
    if (!(await admin.listTopics()).includes(dlqTopic)) return report();
    const ends = await admin.fetchTopicOffsets(dlqTopic);
    const [committed] = await admin.fetchOffsets({ groupId: replayGroup, topics: [dlqTopic] });
    for (const p of ends) {
      const c = committed?.partitions.find((x) => x.partition === p.partition)?.offset ?? '-1';
      const from = BigInt(c) >= 0n ? BigInt(c) : BigInt(p.low);
      const start = from < BigInt(p.low) ? BigInt(p.low) : from;
      if (start < BigInt(p.high)) pending.set(p.partition, { from: start, end: BigInt(p.high) });
    }
  } finally {
    await admin.disconnect();
  }
  if (pending.size === 0) return report();

  ensureProcessedEventsTable(db);
  const processor = createProcessor({
    definition,
    db,
    registry,
    group,
    topics: options.topics ?? ORDER_TOPICS,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    metrics,
    ...(options.readerSchemas ? { readerSchemas: options.readerSchemas } : {}),
    ...(log ? { log } : {}),
  });
  const producer = createSafeProducer(kafka, log);
  const consumer = kafka.consumer({
    groupId: replayGroup,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 500,
  });
  const remaining = new Set(pending.keys());
  let finish!: () => void;
  let fail!: (err: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const timer = setTimeout(
    () => fail(new Error(`replay of ${dlqTopic} did not finish within ${options.timeoutMs ?? 120_000} ms`)),
    options.timeoutMs ?? 120_000,
  );

  try {
    if (!dryRun) await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [dlqTopic], fromBeginning: true });
    // A new replay group starts at the beginning, an existing one at its committed offset: where `pending` starts.
    await consumer.run({
      autoCommit: false,
      eachMessage: async (payload) => {
        const { partition, message } = payload;
        const range = pending.get(partition);
        const offset = BigInt(message.offset);
        if (!range || offset >= range.end || !remaining.has(partition)) return;
        if (offset >= range.from) {
          try {
            entries.push(await replayOne(partition, message, () => payload.heartbeat()));
          } catch (err) {
            fail(err as Error);
            return;
          }
          if (!dryRun)
            await consumer.commitOffsets([{ topic: dlqTopic, partition, offset: (offset + 1n).toString() }]);
        }
        if (offset + 1n >= range.end) {
          remaining.delete(partition);
          if (remaining.size === 0) finish();
        }
      },
    });
    await done;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
  }
  return report();

  async function replayOne(
    dlqPartition: number,
    message: { offset: string; key: Buffer | null; value: Buffer | null; headers?: IHeaders },
    heartbeat: () => Promise<void>,
  ): Promise<ReplayEntry> {
    let letter;
    try {
      letter = parseDeadLetter(message);
    } catch (err) {
      return {
        dlqPartition,
        dlqOffset: message.offset,
        originalTopic: '',
        originalPartition: -1,
        originalOffset: '',
        error: describeError(err).message,
        attempts: 0,
        replays: 0,
        ...(dryRun ? {} : { outcome: 'dead_lettered' as const, newError: describeError(err).message }),
      };
    }
    const base = {
      dlqPartition,
      dlqOffset: message.offset,
      originalTopic: letter.source.topic,
      originalPartition: letter.source.partition,
      originalOffset: letter.source.offset,
      error: letter.error,
      attempts: letter.attempts,
      replays: letter.replays,
    };
    const eventId = headerString(message.headers, HEADERS.eventId);
    if (dryRun) return { ...base, ...(eventId ? { eventId } : {}) };

    const result = await processor.process(letter.source, { heartbeat });
    if (result.status === 'failed') {
      await producer.send({
        topic: dlqTopic,
        messages: [
          deadLetterMessage(letter.source, {
            group,
            error: result.error,
            attempts: result.attempts,
            replays: letter.replays + 1,
          }),
        ],
      });
      metrics.replayed.labels(group, letter.source.topic, 'dead_lettered').inc();
      log?.warn(
        {
          group,
          originalTopic: letter.source.topic,
          originalOffset: letter.source.offset,
          error: result.error,
        },
        'replayed dead letter failed again',
      );
      return {
        ...base,
        ...(result.eventId ? { eventId: result.eventId } : eventId ? { eventId } : {}),
        outcome: 'dead_lettered',
        newError: result.error.message,
      };
    }
    metrics.replayed.labels(group, letter.source.topic, result.status).inc();
    return { ...base, eventId: result.eventId, outcome: result.status };
  }
}
