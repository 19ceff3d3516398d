// A compatible evolution in practice: v2 of OrderCompleted adds `salesChannel` with a default. An old
// consumer (reader v1) reads events written with v2; a new consumer (reader v2) reads events written
// with v1 and sees the default. Both through the kit, with Avro schema resolution.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSchema } from '../events/registry.ts';
import { orderCompletedSchema, subjectFor, type AvroRecordSchema } from '../contracts/events/schemas.ts';
import {
  createEventTestBed,
  eventually,
  sampleCompleted,
  type EventTestBed,
  lazy,
} from '../test/support/events.ts';
import { defineConsumer } from './kit/definition.ts';
import { startTestConsumer, type TestConsumer } from '../test/support/consumers.ts';

const v2: AvroRecordSchema = {
  ...orderCompletedSchema,
  fields: [...orderCompletedSchema.fields, { name: 'salesChannel', type: 'string', default: 'web' }],
};

/** Records every event exactly as its reader schema decoded it. */
const recorder = defineConsumer({
  name: 'schema-recorder',
  migrations: ['CREATE TABLE decoded (order_id TEXT PRIMARY KEY, json TEXT NOT NULL) STRICT;'],
  handlers: {
    completed(event, { db }) {
      db.prepare('INSERT INTO decoded (order_id, json) VALUES (?, ?)').run(
        event.orderId,
        JSON.stringify(event),
      );
    },
  },
});

const decoded = (c: TestConsumer, orderId: string) =>
  eventually(
    () => {
      const row = c.db.prepare('SELECT json FROM decoded WHERE order_id = ?').get(orderId) as
        { json: string } | undefined;
      return Promise.resolve(row ? (JSON.parse(row.json) as Record<string, unknown>) : undefined);
    },
    20_000,
    `${c.group} decoded ${orderId}`,
  );

describe('schema evolution', () => {
  let bed: EventTestBed;
  let oldConsumer: TestConsumer;
  let newConsumer: TestConsumer;
  let v2Id: number;

  // Set up once, on first use: if the stack is down, every test fails with the command that starts it
  // (a failing beforeAll would report the tests as skipped).
  const setup = lazy(async () => {
    bed = await createEventTestBed('evolution');
    v2Id = await registerSchema(bed.registry, bed.registryUrl, subjectFor(bed.topics.completed), v2); // accepted: compatible
    oldConsumer = await startTestConsumer(bed, recorder);
    newConsumer = await startTestConsumer(bed, recorder, { readerSchemas: { completed: v2 } });
  });
  beforeAll(() => void setup().catch(() => undefined));
  afterAll(async () => {
    await oldConsumer?.stop();
    await newConsumer?.stop();
    await bed?.cleanup();
  });

  it('when an event is written with the new schema, then the old consumer reads it (without the new field) and the new one with it', async () => {
    await setup();
    const event = { ...sampleCompleted(), salesChannel: 'mobile-app' };
    const producer = bed.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: bed.topics.completed,
      messages: [
        {
          key: event.customerId,
          value: await bed.registry.encode(v2Id, event),
          headers: { 'event-id': event.eventId, 'event-type': event.eventType },
        },
      ],
    });
    await producer.disconnect();

    const v1Shape: Record<string, unknown> = { ...event };
    delete v1Shape.salesChannel;
    expect(await decoded(oldConsumer, event.orderId)).toEqual(v1Shape);
    expect(await decoded(newConsumer, event.orderId)).toEqual(event);
  });

  it('when an event is written with the old schema, then the new consumer reads it with the default of the new field', async () => {
    await setup();
    const event = sampleCompleted();

    await bed.publisher.publishOrderCompleted(event); // the publisher still writes v1

    expect(await decoded(newConsumer, event.orderId)).toEqual({ ...event, salesChannel: 'web' });
    expect(await decoded(oldConsumer, event.orderId)).toEqual(event);
  });
});
