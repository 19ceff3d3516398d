// The order id, derived from customer + Idempotency-Key: the same key gives the same order (and workflow),
// and the canary router (services/order-router) knows the id, so the pipeline, before it forwards; and the
// request hash that tells a repeated submission from a reused key (order-api and the legacy pipeline). Not under
// contracts/order/: that folder is imported by workflow code, which may not use node:crypto.
import { createHash, randomUUID } from 'node:crypto';

/** Same customer + same Idempotency-Key = same order id = same workflow: duplicates return the same order. */
export function orderIdFor(customerId: string, idempotencyKey: string | undefined): string {
  return idempotencyKey
    ? `ord_${createHash('sha256').update(`${customerId}\n${idempotencyKey}`).digest('hex').slice(0, 26)}`
    : `ord_${randomUUID().replaceAll('-', '')}`;
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Canonical JSON (sorted keys), so the same order in another key order has the same hash. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash of an order request, independent of key order: a reused Idempotency-Key with another order differs. */
export const requestHashOf = (request: unknown): string => sha256(canonical(request));
