// Message headers of order events, and W3C trace context across Kafka. The payload is Confluent wire
// format (magic byte 0, 4-byte schema id, Avro binary); headers let infrastructure (DLQ tooling, the
// audit trail, tracing) see what a message is without decoding it.
import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { type IHeaders } from 'kafkajs';

export const HEADERS = {
  eventId: 'event-id',
  eventType: 'event-type',
  orderId: 'order-id',
  contentType: 'content-type',
  /** W3C Trace Context, written by propagation.inject (names owned by the propagator). */
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

/** Avro binary in Confluent wire format: the schema id is in bytes 1-4 of the value. */
export const CONTENT_TYPE_AVRO = 'application/vnd.confluent.avro';

/** The trace context of `ctx` (the active one by default) as string headers; empty without an OTel SDK. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** A header as a string (kafkajs gives Buffers), or undefined. */
export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : v.toString('utf8');
}

/** The producer's trace context from a message's headers, for a consumer span to continue. */
export function extractTraceContext(headers: IHeaders | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers ?? {}, {
    keys: (carrier) => Object.keys(carrier),
    get: (carrier, key) => headerString(carrier, key),
  });
}
