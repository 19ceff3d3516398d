// The processor without Kafka: a stand-in registry answers with the writer's Avro type (or fails), and the
// events are real Avro in the Confluent wire format.
import { describe, expect, it } from 'vitest';
import avro from 'avsc';
import { type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { SCHEMAS } from '../../contracts/events/schemas.ts';
import { orderCompletedEvent } from '../../events/order-events.ts';
import { openDatabase } from '../../platform/sqlite.ts';
import { defineConsumer } from './definition.ts';
import { createConsumerMetrics } from './metrics.ts';
import { ensureProcessedEventsTable } from './processed-events.ts';
import { createProcessor } from './processor.ts';

const event = orderCompletedEvent({
  orderId: 'ord-p1',
  request: { customerId: 'cus-p1', items: [{ sku: 'S', quantity: 1 }] },
  pricing: { currency: 'usd', subtotalCents: 100, discountCents: 0, taxCents: 0, totalCents: 100 },
  payment: { paymentIntentId: 'pi' },
  shipment: { trackingNumber: 't', carrier: 'c' },
});
const topics = { completed: 'test.completed', failed: 'test.failed' };
const record = (value: Buffer) => ({
  topic: topics.completed,
  partition: 0,
  offset: '0',
  timestamp: '0',
  key: null,
  value,
});
const completedType = avro.Type.forSchema(SCHEMAS.completed as avro.Schema);
/** Magic byte 0, schema id 42, the Avro body. */
const wireOf = (e: object): Buffer =>
  Buffer.concat([Buffer.from([0, 0, 0, 0, 42]), completedType.toBuffer(e)]);
const wire = wireOf(event);
const writerType = () => Promise.resolve(completedType as never);

function setup(registry: Partial<SchemaRegistry>, handle: () => void = () => undefined) {
  const db = openDatabase(':memory:', []);
  ensureProcessedEventsTable(db);
  let calls = 0;
  const definition = defineConsumer({
    name: 'processor-test',
    migrations: [],
    handlers: {
      completed: () => {
        calls++;
        handle();
      },
    },
  });
  const processor = createProcessor({
    definition,
    db,
    registry: registry as SchemaRegistry,
    group: 'g',
    topics,
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    metrics: createConsumerMetrics(),
  });
  return { processor, calls: () => calls };
}

describe('processor', () => {
  it('when the schema registry is unreachable for a while, then the message waits for it instead of being dead-lettered', async () => {
    let outages = 6; // more than the 2 attempts a failing message gets
    const { processor, calls } = setup({
      getSchema: () =>
        outages-- > 0
          ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { status: 400 }))
          : writerType(),
    });
    expect(await processor.process(record(wire))).toEqual({
      status: 'processed',
      eventId: event.eventId,
      attempts: 1,
    });
    expect(calls()).toBe(1);
  });

  it('when the value is not Confluent wire format or its schema id is unknown, then it fails at once without retries', async () => {
    const { processor } = setup({
      getSchema: () => Promise.reject(Object.assign(new Error('not found'), { status: 404 })),
    });
    expect(await processor.process(record(Buffer.from('{"json":true}')))).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { type: 'PermanentEventError' },
    });
    expect(await processor.process(record(wire))).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { type: 'PermanentEventError', message: 'schema id 42 is not in the registry' },
    });
  });

  it('when the handler keeps throwing, then the message fails after the configured attempts', async () => {
    const { processor, calls } = setup({ getSchema: writerType }, () => {
      throw new Error('bug');
    });
    expect(await processor.process(record(wire))).toMatchObject({
      status: 'failed',
      attempts: 2,
      eventId: event.eventId,
      error: { type: 'Error', message: 'bug' },
    });
    expect(calls()).toBe(2);
  });

  it('when the decoded event is of the wrong type for its topic, then it fails at once', async () => {
    const { processor } = setup({ getSchema: writerType });
    expect(await processor.process(record(wireOf({ ...event, eventType: 'OrderFailed' })))).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { message: 'expected OrderCompleted on test.completed, got OrderFailed' },
    });
  });
});
