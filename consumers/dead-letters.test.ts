// Poison messages end on the group's dead-letter topic without blocking their partition, and come back
// through the replay once the consumer is fixed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterTopic } from '../events/topics.ts';
import {
  lazy,
  createEventTestBed,
  eventually,
  readMessages,
  sampleCompleted,
  type EventTestBed,
} from '../test/support/events.ts';
import { defineConsumer } from './kit/definition.ts';
import { replayDeadLetters, replayGroupOf } from './kit/replay.ts';
import { COMMIT_INTERVAL_MS } from './kit/consumer.ts';
import { startTestConsumer, TEST_RETRY, type TestConsumer } from '../test/support/consumers.ts';
import { formatReport } from './replay-dead-letters.ts';

/** A consumer whose handler fails for "poison" customers until it is fixed. */
let fixed = false;
const poisonable = defineConsumer({
  name: 'poisonable-consumer',
  migrations: ['CREATE TABLE seen (order_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL) STRICT;'],
  handlers: {
    completed(event, { db }) {
      if (event.customerId.startsWith('poison') && !fixed)
        throw new Error(`cannot handle customer ${event.customerId}`);
      db.prepare('INSERT INTO seen (order_id, customer_id) VALUES (?, ?)').run(
        event.orderId,
        event.customerId,
      );
    },
  },
});

const seen = (c: TestConsumer, orderId: string): boolean =>
  c.db.prepare('SELECT 1 FROM seen WHERE order_id = ?').get(orderId) !== undefined;

describe('dead letters', () => {
  let bed: EventTestBed;
  let consumer: TestConsumer;
  const garbage = Buffer.from('this is not Avro');
  const poison = sampleCompleted({ customerId: 'poison-customer' });
  const good = sampleCompleted();

  // Set up once, on first use: if the stack is down, every test fails with the command that starts it
  // (a failing beforeAll would report the tests as skipped).
  const setup = lazy(async () => {
    bed = await createEventTestBed('dead-letters', 1); // one partition: the good event queues behind the poison
    consumer = await startTestConsumer(bed, poisonable);
  });
  beforeAll(() => void setup().catch(() => undefined));
  afterAll(async () => {
    await consumer?.stop();
    await bed?.cleanup();
  });

  it('when a message cannot be decoded or its handler always throws, then it goes to the dead-letter topic with the error in headers and later messages are still processed', async () => {
    await setup();
    const raw = bed.kafka.producer();
    await raw.connect();
    await raw.send({ topic: bed.topics.completed, messages: [{ key: 'garbage', value: garbage }] });
    await raw.disconnect();
    await bed.publisher.publishOrderCompleted(poison);
    await bed.publisher.publishOrderCompleted(good);

    await eventually(
      () => Promise.resolve(seen(consumer, good.orderId) ? true : undefined),
      30_000,
      'the good event behind the poison',
    );
    const letters = await readMessages(bed.kafka, deadLetterTopic(consumer.group), 2);

    expect(letters.map((l) => l.key)).toEqual(['garbage', poison.customerId]);
    expect(letters[0]!.value).toEqual(garbage);
    expect(letters[0]!.headers).toMatchObject({
      'dlq-error-type': 'PermanentEventError',
      'dlq-consumer-group': consumer.group,
      'dlq-original-topic': bed.topics.completed,
      'dlq-original-partition': '0',
      'dlq-original-offset': '0',
      'dlq-attempts': '1', // not retryable: dead-lettered at once
      'dlq-replays': '0',
    });
    expect(letters[0]!.headers['dlq-error']).toMatch(/magic byte/);
    expect(letters[1]!.headers).toMatchObject({
      'dlq-error': 'cannot handle customer poison-customer',
      'dlq-error-type': 'Error',
      'dlq-original-offset': '1',
      'dlq-attempts': String(TEST_RETRY.attempts),
      'event-id': poison.eventId, // the original headers travel along
    });
    expect(seen(consumer, poison.orderId)).toBe(false);
    // Committed past all three, within the commit interval (offsets are committed every COMMIT_INTERVAL_MS).
    const committed = async (): Promise<string | undefined> => {
      const [offsets] = await bed.admin.fetchOffsets({
        groupId: consumer.group,
        topics: [bed.topics.completed],
      });
      return offsets!.partitions[0]!.offset;
    };
    await eventually(
      async () => ((await committed()) === '3' ? true : undefined),
      5 * COMMIT_INTERVAL_MS,
      'offsets committed past the three events',
    );
    const deadLetters = await consumer.consumer.metrics.deadLetters.get();
    expect(deadLetters.values.find((v) => v.labels.topic === bed.topics.completed)?.value).toBe(2);
  });

  it('when the handler is fixed and the dead letters are replayed, then the poison event is applied once and only the undecodable one dies again', async () => {
    await setup();
    const replay = (dryRun = false) =>
      replayDeadLetters({
        definition: poisonable,
        kafka: bed.proxiedKafka,
        registry: bed.registry,
        db: consumer.db,
        groupId: consumer.group,
        topics: bed.topics,
        retry: TEST_RETRY,
        dryRun,
      });

    const preview = await replay(true);
    expect(preview.entries.map((e) => [e.originalOffset, e.outcome])).toEqual([
      ['0', undefined],
      ['1', undefined],
    ]);
    expect(seen(consumer, poison.orderId)).toBe(false);

    fixed = true;
    const report = await replay();

    expect(report).toMatchObject({
      processed: 1,
      duplicates: 0,
      deadLetteredAgain: 1,
      replayGroup: replayGroupOf(consumer.group),
    });
    expect(report.entries.map((e) => [e.originalOffset, e.outcome])).toEqual([
      ['0', 'dead_lettered'],
      ['1', 'processed'],
    ]);
    expect(seen(consumer, poison.orderId)).toBe(true);
    expect(formatReport(report)).toContain(`${bed.topics.completed}[0]@1 event ${poison.eventId}: processed`);

    // The next replay starts after what was replayed: only the re-queued garbage (dlq-replays 1) is left.
    const next = await replay();
    expect(next.entries.map((e) => [e.dlqOffset, e.originalOffset, e.replays, e.outcome])).toEqual([
      ['2', '0', 1, 'dead_lettered'],
    ]);
    const letters = await readMessages(bed.kafka, deadLetterTopic(consumer.group), 4);
    expect(letters.map((l) => l.headers['dlq-replays'])).toEqual(['0', '0', '1', '2']);
  });
});
