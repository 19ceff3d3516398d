import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import {
  context,
  propagation,
  trace,
  ROOT_CONTEXT,
  TraceFlags,
  type Context,
  type ContextManager,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { logLevel } from 'kafkajs';
import { createKafkaClient } from './kafka.ts';
import { createOrderEventPublisher, InvalidOrderEventError } from './publisher.ts';
import {
  lazy,
  createEventTestBed,
  readMessages,
  sampleCompleted,
  sampleFailed,
  uniqueId,
  urls,
  type EventTestBed,
} from '../test/support/events.ts';
import { CONTENT_TYPE_AVRO } from './headers.ts';

/** Stand-ins for what the OTel SDK (issue 6) registers: an async context manager and the W3C propagator. */
class TestContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active = (): Context => this.storage.getStore() ?? ROOT_CONTEXT;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}
const w3c: TextMapPropagator = {
  inject(ctx, carrier, setter) {
    const span = trace.getSpanContext(ctx);
    if (span) setter.set(carrier, 'traceparent', `00-${span.traceId}-${span.spanId}-0${span.traceFlags}`);
  },
  extract: (ctx) => ctx,
  fields: () => ['traceparent'],
};

describe('order event publisher', () => {
  let bed: EventTestBed;
  // Set up once, on first use: if the stack is down, every test fails with the command that starts it
  // (a failing beforeAll would report the tests as skipped).
  const setup = lazy(async () => {
    bed = await createEventTestBed('publisher');
  });
  beforeAll(() => void setup().catch(() => undefined));
  afterAll(async () => {
    await bed?.cleanup();
  });

  it('when an OrderCompleted is published through Toxiproxy, then it is on orders.completed keyed by customer id, with its headers, and decodes to the event', async () => {
    await setup();
    const event = sampleCompleted();

    const result = await bed.publisher.publishOrderCompleted(event);

    const [message] = await readMessages(bed.kafka, bed.topics.completed, 1);
    expect(result).toMatchObject({
      eventId: event.eventId,
      topic: bed.topics.completed,
      partition: message!.partition,
      offset: message!.offset,
      schemaId: bed.schemas.completed.id,
    });
    expect(message!.key).toBe(event.customerId);
    expect(message!.headers).toMatchObject({
      'event-id': event.eventId,
      'event-type': 'OrderCompleted',
      'order-id': event.orderId,
      'content-type': CONTENT_TYPE_AVRO,
    });
    expect(message!.value!.readUInt32BE(1)).toBe(bed.schemas.completed.id);
    expect(await bed.registry.decode(message!.value!)).toEqual(event);
  });

  it('when an activity retries and publishes the same OrderFailed twice, then both copies are keyed by order id and carry the same event id', async () => {
    await setup();
    const first = sampleFailed();
    const retried = sampleFailed({
      orderId: first.orderId,
      customerId: first.customerId,
      occurredAt: first.occurredAt,
    });

    await bed.publisher.publishOrderFailed(first);
    await bed.publisher.publishOrderFailed(retried);

    const messages = (await readMessages(bed.kafka, bed.topics.failed, 2)).filter(
      (m) => m.key === first.orderId,
    );
    expect(messages).toHaveLength(2);
    expect(messages.map((m) => m.headers['event-id'])).toEqual([first.eventId, first.eventId]);
    expect(new Set(messages.map((m) => m.partition)).size).toBe(1);
  });

  it('when a trace is active, then its context travels in the traceparent header', async () => {
    await setup();
    const manager = new TestContextManager();
    context.setGlobalContextManager(manager);
    propagation.setGlobalPropagator(w3c);
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const active = trace.setSpanContext(ROOT_CONTEXT, {
        traceId,
        spanId: '00f067aa0ba902b7',
        traceFlags: TraceFlags.SAMPLED,
        isRemote: false,
      });
      const event = sampleCompleted();

      await context.with(active, () => bed.publisher.publishOrderCompleted(event));

      const message = (await readMessages(bed.kafka, bed.topics.completed, 2)).find(
        (m) => m.headers['event-id'] === event.eventId,
      );
      expect(message?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    } finally {
      propagation.disable();
      context.disable();
    }
  });

  it('when an event does not match the schema, then publishing throws InvalidOrderEventError and sends nothing', async () => {
    await setup();
    const bad = { ...sampleCompleted(), items: [{ sku: 'SKU-1', quantity: 1.5 }] };
    await expect(bed.publisher.publishOrderCompleted(bad)).rejects.toBeInstanceOf(InvalidOrderEventError);
    await expect(bed.publisher.publishOrderCompleted(sampleFailed() as never)).rejects.toThrow(
      /expected a OrderCompleted event/,
    );
  });

  it('when Kafka cannot be reached, then publishing throws within the publish timeout instead of hanging or swallowing', async () => {
    await setup();
    const publisher = createOrderEventPublisher({
      kafka: createKafkaClient({
        clientId: 'publisher-unreachable',
        brokers: ['127.0.0.1:1'],
        logLevel: logLevel.NOTHING,
      }),
      registry: bed.registry,
      topics: bed.topics,
      publishTimeoutMs: 2_000,
    });
    const started = Date.now();
    await expect(publisher.publishOrderCompleted(sampleCompleted())).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_500);
    await publisher.disconnect();
  });

  it('when the schemas were never registered, then publishing throws and names the setup command', async () => {
    await setup();
    const id = uniqueId('unregistered');
    const publisher = createOrderEventPublisher({
      kafka: bed.proxiedKafka,
      registry: new SchemaRegistry({ host: urls.schemaRegistry }),
      topics: { completed: `${id}.completed`, failed: `${id}.failed` },
    });
    await expect(publisher.publishOrderCompleted(sampleCompleted())).rejects.toThrow(
      /node events\/setup\.ts/,
    );
    await publisher.disconnect();
  });
});
