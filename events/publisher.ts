// Publishes the saga's outcomes: OrderCompleted (FinalizeOrder) and OrderFailed (the failure path).
//
// - Every failure throws: the calling Temporal activity fails its attempt and Temporal retries it until
//   Kafka is back. kafkajs's own retries are short and one publish is bounded by `publishTimeoutMs`.
// - The same outcome always carries the same eventId (event-id.ts): a retried activity that publishes
//   again produces a duplicate with the same id, and consumers apply it once. A duplicate is harmless;
//   a lost event is not.
// - Idempotent producer (acks all, one request in flight), replaced after any failed send: see
//   producer.ts for why that turns a possible silent loss into at worst a duplicate.
import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { type Kafka } from 'kafkajs';
import { CONTENT_TYPE_AVRO, HEADERS, traceHeaders } from './headers.ts';
import { type EventLogger } from './kafka.ts';
import { createSafeProducer } from './producer.ts';
import { SCHEMAS, subjectFor } from '../contracts/events/schemas.ts';
import { ORDER_TOPICS, TOPIC_KEYS, type OrderTopics } from './topics.ts';
import {
  EVENT_TYPE_OF_KIND,
  type OrderCompletedEvent,
  type OrderEvent,
  type OrderEventKind,
  type OrderFailedEvent,
} from '../contracts/events/types.ts';

/** The event does not match the schema: a bug, not an outage. Its `name` is stable for nonRetryableErrorTypes. */
export class InvalidOrderEventError extends Error {
  override readonly name = 'InvalidOrderEventError';
}

/** One publish did not finish within publishTimeoutMs. Retryable. */
export class OrderEventPublishTimeoutError extends Error {
  override readonly name = 'OrderEventPublishTimeoutError';
}

export interface OrderEventPublisherOptions {
  readonly kafka: Kafka;
  readonly registry: SchemaRegistry;
  /** Topic names; the production ones by default. Subjects are `<topic>-value`. */
  readonly topics?: OrderTopics;
  /**
   * Upper bound of one publish, connect and schema lookup included. 3 s by default: FinalizeOrder has a
   * 5 s start-to-close timeout and does other work too.
   */
  readonly publishTimeoutMs?: number;
  readonly log?: EventLogger;
}

export interface PublishResult {
  readonly eventId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly schemaId: number;
}

export interface OrderEventPublisher {
  /** Connects and resolves the schema ids now (optional: publishing connects lazily). Throws on failure. */
  connect(): Promise<void>;
  publishOrderCompleted(event: OrderCompletedEvent): Promise<PublishResult>;
  publishOrderFailed(event: OrderFailedEvent): Promise<PublishResult>;
  disconnect(): Promise<void>;
}

const tracer = trace.getTracer('orderflow-events');

export function createOrderEventPublisher(options: OrderEventPublisherOptions): OrderEventPublisher {
  const { kafka, registry, log } = options;
  const topics = options.topics ?? ORDER_TOPICS;
  const publishTimeoutMs = options.publishTimeoutMs ?? 3_000;
  const producer = createSafeProducer(kafka, log);
  let closed = false;
  const schemaIds = new Map<OrderEventKind, Promise<number>>();

  function schemaId(kind: OrderEventKind): Promise<number> {
    let id = schemaIds.get(kind);
    if (!id) {
      const subject = subjectFor(topics[kind]);
      id = registry
        .getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema: JSON.stringify(SCHEMAS[kind]) })
        .catch((err: unknown) => {
          schemaIds.delete(kind); // look it up again next time
          // The client turns the registry's 404 into a plain ConfluentSchemaRegistryError (no status).
          if (
            (err as Error).name === 'ConfluentSchemaRegistryError' ||
            (err as { status?: number }).status === 404
          ) {
            throw new Error(
              `schema of ${subject} is not registered in the schema registry: run \`node events/setup.ts\` (or registerSchemas) first`,
              { cause: err },
            );
          }
          throw err;
        });
      schemaIds.set(kind, id);
    }
    return id;
  }

  async function encode(kind: OrderEventKind, event: OrderEvent): Promise<{ value: Buffer; id: number }> {
    const id = await schemaId(kind);
    try {
      return { value: await registry.encode(id, event), id };
    } catch (err) {
      if ((err as Error).name === 'ConfluentSchemaRegistryValidationError') {
        throw new InvalidOrderEventError(
          `${event.eventType} ${event.orderId} does not match schema ${id}: ${(err as Error).message}`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  async function publish(kind: OrderEventKind, event: OrderEvent): Promise<PublishResult> {
    if (closed) throw new Error('order event publisher is disconnected');
    if (event.eventType !== EVENT_TYPE_OF_KIND[kind]) {
      throw new InvalidOrderEventError(
        `expected a ${EVENT_TYPE_OF_KIND[kind]} event, got ${event.eventType}`,
      );
    }
    const topic = topics[kind];
    const key = event[TOPIC_KEYS[kind]];
    // INTERNAL: encoding (schema registry) and the send; the kafkajs instrumentation adds the PRODUCER
    // `send` span under it and writes that span's context into the record headers for the consumers.
    return tracer.startActiveSpan(
      `publish ${event.eventType}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': topic,
          'messaging.kafka.message.key': key,
          'messaging.message.id': event.eventId,
          'order.id': event.orderId,
        },
      },
      async (span) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new OrderEventPublishTimeoutError(
                  `publishing ${event.eventType} ${event.orderId} to ${topic} took more than ${publishTimeoutMs} ms`,
                ),
              ),
            publishTimeoutMs,
          );
        });
        const work = (async (): Promise<PublishResult> => {
          const { value, id } = await encode(kind, event);
          const [meta] = await producer.send({
            topic,
            timeout: 2_000, // how long the broker waits for in-sync replicas
            messages: [
              {
                key,
                value,
                headers: {
                  [HEADERS.eventId]: event.eventId,
                  [HEADERS.eventType]: event.eventType,
                  [HEADERS.orderId]: event.orderId,
                  [HEADERS.contentType]: CONTENT_TYPE_AVRO,
                  ...traceHeaders(),
                },
              },
            ],
          });
          if (!meta) throw new Error(`no produce response for ${topic}`);
          return {
            eventId: event.eventId,
            topic,
            partition: meta.partition,
            offset: meta.baseOffset ?? meta.offset ?? '-1',
            schemaId: id,
          };
        })();
        try {
          const result = await Promise.race([work, timeout]);
          span.setAttributes({
            'messaging.destination.partition.id': String(result.partition),
            'messaging.kafka.offset': Number(result.offset),
          });
          return result;
        } catch (err) {
          // After a timeout the send may still be in flight; if it fails later, the producer replaces itself.
          work.catch(() => undefined);
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
          throw err;
        } finally {
          clearTimeout(timer);
          span.end();
        }
      },
    );
  }

  return {
    async connect() {
      closed = false;
      await Promise.all([producer.connect(), schemaId('completed'), schemaId('failed')]);
    },
    publishOrderCompleted: (event) => publish('completed', event),
    publishOrderFailed: (event) => publish('failed', event),
    async disconnect() {
      closed = true;
      await producer.disconnect();
    },
  };
}
