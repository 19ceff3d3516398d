// What a consumer is: a name (its consumer group, process and SQLite file), its own tables, one
// handler per event kind it subscribes to, and the HTTP routes that show its state. The kit does the
// rest: subscription, decoding, idempotency, retries, dead letters, offsets, metrics, shutdown.
import { type FastifyInstance } from 'fastify';
import { type Database } from '../../platform/sqlite.ts';
import {
  type OrderCompletedEvent,
  type OrderEventKind,
  type OrderFailedEvent,
} from '../../contracts/events/types.ts';

export interface HandlerContext {
  /** The consumer's own database, inside the transaction that also marks the event processed. */
  readonly db: Database;
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The Kafka message timestamp, epoch milliseconds. */
  readonly messageTimestamp: number;
  /** From the message's W3C traceparent header, when the producer had a trace. */
  readonly traceId?: string;
  /** Now, as an ISO string (one value for the whole handling). */
  readonly now: string;
}

/**
 * Handlers are synchronous on purpose: they run inside one SQLite transaction together with the
 * "processed" mark, so a redelivered event changes nothing. An effect outside the database (a real
 * email provider) belongs in an outbox table written here and sent by a separate loop.
 * Throwing retries the event (with backoff) and then dead-letters it; throw PermanentEventError to
 * dead-letter at once.
 */
export type Handler<E> = (event: E, ctx: HandlerContext) => void;

export interface ConsumerDefinition {
  /** Process name, OTel service.name, default consumer group and SQLite file name, e.g. `loyalty-consumer`. */
  readonly name: string;
  /** The consumer's own tables, applied in order (PRAGMA user_version). The kit's table is separate. */
  readonly migrations: readonly string[];
  readonly handlers: {
    readonly completed?: Handler<OrderCompletedEvent>;
    readonly failed?: Handler<OrderFailedEvent>;
  };
  /** HTTP routes exposing the consumer's state (GET only by convention). */
  readonly routes?: (app: FastifyInstance, db: Database) => void;
}

export const defineConsumer = (definition: ConsumerDefinition): ConsumerDefinition => definition;

/** The event kinds a definition subscribes to, in a stable order. */
export function subscribedKinds(definition: ConsumerDefinition): OrderEventKind[] {
  const kinds: OrderEventKind[] = [];
  if (definition.handlers.completed) kinds.push('completed');
  if (definition.handlers.failed) kinds.push('failed');
  if (kinds.length === 0) throw new Error(`consumer ${definition.name} has no handlers`);
  return kinds;
}
