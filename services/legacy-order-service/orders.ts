// The legacy order use cases: a checkout runs inside POST /orders and answers with its outcome; an
// Idempotency-Key makes a repeated submission answer with the stored order instead of a second checkout.
// The order store (same schema as order-api's, its own file) keeps the record: `received` while the request
// runs, then completed or failed, and nothing else (no saga states).
import { randomUUID } from 'node:crypto';
import { requestHashOf, sha256 } from '../../contracts/order-id.ts';
import { trace } from '@opentelemetry/api';
import { AppError } from '../../platform/errors.ts';
import type { OrderRequest } from '../../contracts/order/types.ts';
import type { OrderRecord, OrderStore } from '../../order-store/index.ts';
import { withOrder } from '../../observability/tracing/order-context.ts';
import { OrderApiErrors } from '../order-api/errors.ts';
import type { CheckoutResult } from './checkout.ts';
import { Deadline } from './deadline.ts';
import type { LegacyMetrics } from './metrics.ts';

/**
 * Same customer + same Idempotency-Key = same order. Salted with the pipeline, so an order id (and the
 * payment gateway's `<orderId>:…` keys) never collides with order-api's for the same customer and key.
 */
export function legacyOrderIdFor(customerId: string, idempotencyKey: string | undefined): string {
  return idempotencyKey
    ? `ord_${sha256(`legacy\n${customerId}\n${idempotencyKey}`).slice(0, 26)}`
    : `ord_${randomUUID().replaceAll('-', '')}`;
}

export type Submitted =
  | { readonly duplicate: true; readonly order: OrderRecord }
  | { readonly duplicate: false; readonly order: OrderRecord; readonly result: CheckoutResult };

export interface LegacyOrdersDeps {
  readonly store: OrderStore;
  readonly checkout: (orderId: string, request: OrderRequest, deadline: Deadline) => Promise<CheckoutResult>;
  readonly deadlineMs: number;
  readonly metrics: LegacyMetrics;
}

export function createLegacyOrders(deps: LegacyOrdersDeps) {
  const { store } = deps;

  async function submit(
    orderId: string,
    request: OrderRequest,
    idempotencyKey: string | undefined,
  ): Promise<Submitted> {
    const requestHash = requestHashOf(request);
    const traceId = trace.getActiveSpan()?.spanContext().traceId ?? null;
    const { created, order } = await store.create({
      orderId,
      workflowId: orderId,
      idempotencyKey: idempotencyKey ?? null,
      requestHash,
      request,
      traceId,
    });
    if (!created) {
      if (order.requestHash !== requestHash)
        throw new AppError(
          OrderApiErrors.idempotencyKeyReused,
          422,
          'this Idempotency-Key was already used for a different order',
        );
      return { duplicate: true, order };
    }
    // The deadline starts when the request is accepted, as the storefront's own timeout does.
    const deadline = new Deadline(deps.deadlineMs);
    const started = performance.now();
    const result = await deps.checkout(orderId, request, deadline);
    deps.metrics.checkout(result, (performance.now() - started) / 1000);
    if (result.status === 'completed') {
      await store.markCompleted({
        orderId,
        request,
        pricing: result.pricing,
        payment: result.payment,
        shipment: result.shipment,
      });
    } else {
      await store.markFailed({
        orderId,
        request,
        status: 'failed',
        failure: result.failure,
        compensations: [], // no saga: nothing is undone
        ...(result.pricing ? { pricing: result.pricing } : {}),
      });
    }
    return { duplicate: false, order: (await store.get(orderId)) ?? order, result };
  }

  return {
    submit(request: OrderRequest, idempotencyKey: string | undefined): Promise<Submitted> {
      const orderId = legacyOrderIdFor(request.customerId, idempotencyKey);
      return withOrder(orderId, () => submit(orderId, request, idempotencyKey));
    },

    async get(orderId: string): Promise<OrderRecord> {
      const record = await store.get(orderId);
      if (!record) throw new AppError(OrderApiErrors.orderNotFound, 404, `order ${orderId} not found`);
      return record;
    },
  };
}

export type LegacyOrders = ReturnType<typeof createLegacyOrders>;
