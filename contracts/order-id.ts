// The order id, derived from customer + Idempotency-Key: the same key gives the same order (and workflow),
// and the canary router (services/order-router) knows the id, so the pipeline, before it forwards. Not under
// contracts/order/: that folder is imported by workflow code, which may not use node:crypto.
import { createHash, randomUUID } from 'node:crypto';

/** Same customer + same Idempotency-Key = same order id = same workflow: duplicates return the same order. */
export function orderIdFor(customerId: string, idempotencyKey: string | undefined): string {
  return idempotencyKey
    ? `ord_${createHash('sha256').update(`${customerId}\n${idempotencyKey}`).digest('hex').slice(0, 26)}`
    : `ord_${randomUUID().replaceAll('-', '')}`;
}
