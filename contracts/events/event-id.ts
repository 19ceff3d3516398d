// Event ids are deterministic per order outcome: UUIDv5 (RFC 9562, SHA-1, name-based) of
// `<eventType>/<orderId>` in orderflow's own namespace. A retried activity that publishes the same
// outcome again produces the same eventId, and consumers, which dedupe by eventId, apply it once.
// An order has exactly one terminal outcome, so (eventType, orderId) names it.
import { createHash } from 'node:crypto';
import { type OrderEventType } from './types.ts';

/** orderflow's UUIDv5 namespace for order events. Never change it: ids of past events derive from it. */
export const ORDER_EVENT_NAMESPACE = '63d813a8-f53d-4b14-90c6-92f658a10b30';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidV5(name: string, namespace: string): string {
  if (!UUID.test(namespace)) throw new Error(`namespace ${namespace} is not a UUID`);
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function orderEventId(eventType: OrderEventType, orderId: string): string {
  return uuidV5(`${eventType}/${orderId}`, ORDER_EVENT_NAMESPACE);
}
