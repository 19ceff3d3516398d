// ADR-0047: "new consumers subscribe to Kafka events without touching the core workflow". A fifth
// consumer, defined here with the kit alone, gets the events the publisher sends: nothing in the
// workflow, the activities, order-api or the other consumers changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  lazy,
  createEventTestBed,
  eventually,
  sampleCompleted,
  sampleFailed,
  type EventTestBed,
} from '../test/support/events.ts';
import { defineConsumer } from './kit/definition.ts';
import { startTestConsumer, type TestConsumer } from '../test/support/consumers.ts';

/** A made-up new requirement: a watch list of high-value orders and of orders whose compensation failed. */
const highValueWatch = defineConsumer({
  name: 'high-value-watch-consumer',
  migrations: [
    'CREATE TABLE watch (order_id TEXT PRIMARY KEY, reason TEXT NOT NULL, total_cents INTEGER) STRICT;',
  ],
  handlers: {
    completed(event, { db }) {
      if (event.totalCents >= 100_00)
        db.prepare('INSERT INTO watch (order_id, reason, total_cents) VALUES (?, ?, ?)').run(
          event.orderId,
          'high_value',
          event.totalCents,
        );
    },
    failed(event, { db }) {
      if (event.status === 'compensation_failed')
        db.prepare('INSERT INTO watch (order_id, reason, total_cents) VALUES (?, ?, ?)').run(
          event.orderId,
          'compensation_failed',
          event.totalCents,
        );
    },
  },
  routes(app, db) {
    app.get('/watch/:orderId', (req) => {
      const { orderId } = z.object({ orderId: z.string() }).parse(req.params);
      return (
        db
          .prepare(
            'SELECT order_id AS orderId, reason, total_cents AS totalCents FROM watch WHERE order_id = ?',
          )
          .get(orderId) ?? { orderId, reason: null }
      );
    });
  },
});

describe('adding a consumer', () => {
  let bed: EventTestBed;
  let watch: TestConsumer;

  // Set up once, on first use: if the stack is down, every test fails with the command that starts it
  // (a failing beforeAll would report the tests as skipped).
  const setup = lazy(async () => {
    bed = await createEventTestBed('extensibility');
    watch = await startTestConsumer(bed, highValueWatch);
  });
  beforeAll(() => void setup().catch(() => undefined));
  afterAll(async () => {
    await watch?.stop();
    await bed?.cleanup();
  });

  it('when a new consumer is defined with the kit in its own group, then it receives what the publisher publishes', async () => {
    await setup();
    const big = sampleCompleted({ totalCents: 250_00 });
    const small = sampleCompleted({ totalCents: 9_99 });
    const stuck = sampleFailed({ status: 'compensation_failed' });

    await bed.publisher.publishOrderCompleted(big);
    await bed.publisher.publishOrderCompleted(small);
    await bed.publisher.publishOrderFailed(stuck);

    const watched = (orderId: string) =>
      watch.get<{ orderId: string; reason: string | null }>(`/watch/${orderId}`);
    await eventually(
      async () => ((await watched(stuck.orderId)).reason ? true : undefined),
      20_000,
      'the compensation_failed order watched',
    );
    await eventually(
      async () => ((await watch.count('processed')) === 3 ? true : undefined),
      20_000,
      'all three events processed',
    );
    expect(await watched(big.orderId)).toEqual({
      orderId: big.orderId,
      reason: 'high_value',
      totalCents: 250_00,
    });
    expect(await watched(small.orderId)).toEqual({ orderId: small.orderId, reason: null });
    expect(await watched(stuck.orderId)).toMatchObject({ reason: 'compensation_failed' });
    expect(watch.consumer.status()).toMatchObject({
      group: watch.group,
      topics: [bed.topics.completed, bed.topics.failed],
      deadLetterTopic: `dlq.${watch.group}`,
    });
  });
});
