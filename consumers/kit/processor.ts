// One message through a consumer: decode with the consumer's reader schema, apply the handler and the
// processed mark in one transaction, retry with backoff. Shared by the live consumer and the replay of
// dead letters, so both behave the same.
import { type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { extractTraceContext, headerString, HEADERS } from '../../events/headers.ts';
import { type EventLogger } from '../../events/kafka.ts';
import { SCHEMAS, type AvroRecordSchema } from '../../contracts/events/schemas.ts';
import { type OrderTopics } from '../../events/topics.ts';
import { EVENT_TYPE_OF_KIND, type OrderEvent, type OrderEventKind } from '../../contracts/events/types.ts';
import { type Database } from '../../platform/sqlite.ts';
import { type SourceRecord } from './dead-letter.ts';
import { type ConsumerDefinition, type HandlerContext } from './definition.ts';
import {
  ConsumerStoppingError,
  describeError,
  InfrastructureError,
  isInfrastructure,
  isPermanent,
  PermanentEventError,
} from './errors.ts';
import { type ConsumerMetrics } from './metrics.ts';
import { applyOnce } from './processed-events.ts';
import { createAvroReader } from './avro-reader.ts';
import { backoffDelay, sleep, type RetryPolicy } from './retry.ts';

export interface ProcessorOptions {
  readonly definition: ConsumerDefinition;
  readonly db: Database;
  readonly registry: SchemaRegistry;
  readonly group: string;
  readonly topics: OrderTopics;
  /** The schema versions this consumer reads with (Avro resolution from the writer's); this folder's by default. */
  readonly readerSchemas?: Partial<Record<OrderEventKind, AvroRecordSchema>>;
  readonly retry: RetryPolicy;
  readonly metrics: ConsumerMetrics;
  readonly log?: EventLogger;
}

export type ProcessResult =
  | { readonly status: 'processed' | 'duplicate'; readonly eventId: string; readonly attempts: number }
  | {
      readonly status: 'failed';
      readonly error: { readonly type: string; readonly message: string };
      readonly attempts: number;
      readonly eventId?: string;
    };

export interface ProcessOptions {
  /** kafkajs's heartbeat, called between attempts so a long backoff does not cost the group membership. */
  readonly heartbeat?: () => Promise<void>;
  /** Aborts the retry loop (shutdown): `process` then rejects with ConsumerStoppingError. */
  readonly signal?: AbortSignal;
}

export interface Processor {
  kindOf(topic: string): OrderEventKind | undefined;
  process(record: SourceRecord, options?: ProcessOptions): Promise<ProcessResult>;
}

const tracer = trace.getTracer('orderflow-consumer-kit');
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

export function createProcessor(options: ProcessorOptions): Processor {
  const { definition, db, registry, group, topics, metrics, log } = options;
  const readerSchemas: Record<OrderEventKind, AvroRecordSchema> = { ...SCHEMAS, ...options.readerSchemas };
  const kindByTopic = new Map<string, OrderEventKind>();
  if (definition.handlers.completed) kindByTopic.set(topics.completed, 'completed');
  if (definition.handlers.failed) kindByTopic.set(topics.failed, 'failed');

  const readAvro = createAvroReader(registry);

  async function decode(record: SourceRecord, kind: OrderEventKind): Promise<OrderEvent> {
    const value = record.value;
    if (!value || value.length < 5)
      throw new PermanentEventError(
        `message value is ${value ? `${value.length} bytes` : 'empty'}: not Confluent wire format`,
      );
    if (value[0] !== 0)
      throw new PermanentEventError(
        `message value starts with byte ${value[0]}, not the Confluent wire format magic byte 0`,
      );
    const schemaId = value.readInt32BE(1);
    try {
      await registry.getSchema(schemaId); // cached after the first message of each schema id
    } catch (err) {
      if ((err as { status?: number }).status === 404)
        throw new PermanentEventError(`schema id ${schemaId} is not in the registry`, { cause: err });
      throw new InfrastructureError(`schema registry: ${(err as Error).message}`, { cause: err });
    }
    let decoded: unknown;
    try {
      decoded = await readAvro(value, schemaId, readerSchemas[kind]);
    } catch (err) {
      throw new PermanentEventError(
        `cannot decode with schema id ${schemaId} as ${readerSchemas[kind].name}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const event = decoded as Partial<OrderEvent>;
    if (event.eventType !== EVENT_TYPE_OF_KIND[kind])
      throw new PermanentEventError(
        `expected ${EVENT_TYPE_OF_KIND[kind]} on ${record.topic}, got ${String(event.eventType)}`,
      );
    if (typeof event.eventId !== 'string' || event.eventId === '')
      throw new PermanentEventError('event has no eventId');
    return event as OrderEvent;
  }

  function apply(record: SourceRecord, kind: OrderEventKind, event: OrderEvent): 'processed' | 'duplicate' {
    const traceId = TRACEPARENT.exec(headerString(record.headers, HEADERS.traceparent) ?? '')?.[1];
    const now = new Date().toISOString();
    const ctx: HandlerContext = {
      db,
      group,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      messageTimestamp: Number(record.timestamp),
      now,
      ...(traceId ? { traceId } : {}),
    };
    return applyOnce(
      db,
      {
        eventId: event.eventId,
        eventType: event.eventType,
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        processedAt: now,
      },
      () => {
        if (kind === 'completed' && event.eventType === 'OrderCompleted')
          definition.handlers.completed?.(event, ctx);
        else if (kind === 'failed' && event.eventType === 'OrderFailed')
          definition.handlers.failed?.(event, ctx);
      },
    );
  }

  async function attemptAll(
    record: SourceRecord,
    kind: OrderEventKind,
    opts: ProcessOptions,
  ): Promise<ProcessResult> {
    let eventId = headerString(record.headers, HEADERS.eventId);
    let attempt = 1; // counts failures of the message itself; infrastructure outages do not count
    for (let outage = 0; ;) {
      if (opts.signal?.aborted) throw new ConsumerStoppingError('consumer is stopping');
      try {
        const event = await decode(record, kind);
        eventId = event.eventId;
        return { status: apply(record, kind, event), eventId, attempts: attempt };
      } catch (err) {
        const error = describeError(err);
        let delay: number;
        if (isInfrastructure(err)) {
          outage++;
          delay = backoffDelay(options.retry, Math.min(outage, 16));
          if (outage === 1 || outage % 10 === 0)
            log?.warn(
              {
                group,
                topic: record.topic,
                partition: record.partition,
                offset: record.offset,
                outage,
                error,
              },
              'dependency unavailable, waiting',
            );
        } else {
          if (isPermanent(err) || attempt >= options.retry.attempts) {
            return { status: 'failed', error, attempts: attempt, ...(eventId ? { eventId } : {}) };
          }
          delay = backoffDelay(options.retry, attempt);
          log?.warn(
            {
              group,
              topic: record.topic,
              partition: record.partition,
              offset: record.offset,
              attempt,
              delayMs: delay,
              error,
            },
            'event processing failed, retrying',
          );
          attempt++;
        }
        metrics.retries.labels(group, record.topic).inc();
        await sleep(delay, opts.signal);
        await opts.heartbeat?.();
      }
    }
  }

  return {
    kindOf: (topic) => kindByTopic.get(topic),
    async process(record, opts = {}) {
      const kind = kindByTopic.get(record.topic);
      if (!kind)
        return {
          status: 'failed',
          error: {
            type: 'PermanentEventError',
            message: `${definition.name} has no handler for topic ${record.topic}`,
          },
          attempts: 1,
        };
      // Under the kafkajs instrumentation's CONSUMER `process` span when there is one (it continued the
      // producer's trace from the headers); without it, continue the trace from the headers ourselves.
      const instrumented = trace.getActiveSpan() !== undefined;
      const parent = instrumented ? context.active() : extractTraceContext(record.headers);
      return tracer.startActiveSpan(
        `handle ${EVENT_TYPE_OF_KIND[kind]}`,
        {
          kind: instrumented ? SpanKind.INTERNAL : SpanKind.CONSUMER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'process',
            'messaging.destination.name': record.topic,
            'messaging.consumer.group.name': group,
            'messaging.destination.partition.id': String(record.partition),
            'messaging.kafka.offset': Number(record.offset),
            ...(headerString(record.headers, HEADERS.orderId)
              ? { 'order.id': headerString(record.headers, HEADERS.orderId) }
              : {}),
          },
        },
        parent,
        async (span) => {
          try {
            const result = await attemptAll(record, kind, opts);
            span.setAttribute('orderflow.consumer.outcome', result.status);
            if (result.status === 'failed')
              span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.message });
            return result;
          } finally {
            span.end();
          }
        },
      );
    },
  };
}
