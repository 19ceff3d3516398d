// The order use cases of order-api: accept an order exactly once, report where it is, take a reviewer's
// decision. Temporal is the source of truth while an order runs; the store holds the record.
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  isGrpcServiceError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { AppError } from '../../platform/errors.ts';
import {
  orderStateQuery,
  orderWorkflowStartOptions,
  reviewDecisionUpdate,
  WORKFLOW_TYPE,
} from '../../contracts/order/definitions.ts';
import {
  type OrderRequest,
  type OrderState,
  type ProcessOrderInput,
  type ReviewDecision,
} from '../../contracts/order/types.ts';
import type { OrderRecord, OrderStore } from '../../order-store/index.ts';
import { contextWithOrder, withOrder } from '../../observability/tracing/order-context.ts';
import { workflowStartContext } from '../../observability/tracing/temporal.ts';
import { OrderApiErrors } from './errors.ts';
import { orderIdFor, requestHashOf } from '../../contracts/order-id.ts';

const tracer = trace.getTracer('orderflow-order-api');

export interface OrdersDeps {
  readonly store: OrderStore;
  readonly temporal: Client;
  readonly reviewTimeoutSeconds: number;
}

export interface Accepted {
  readonly orderId: string;
  readonly workflowId: string;
  readonly traceId: string | null;
  readonly status: string;
  readonly duplicate: boolean;
}

/**
 * How long POST /orders waits for Temporal to accept the workflow before answering 503: long enough to ride
 * out a Temporal restart (the dev server is back in ~2 s; the client's gRPC retries and reconnects meanwhile),
 * short of a client's usual 10 s request timeout.
 */
const START_DEADLINE_MS = 8000;

// The order id's derivation lives in contracts/ (the canary router needs it too); re-exported for callers here.
export { orderIdFor };

/** Temporal down or unreachable: the API accepts nothing rather than half-accepting. */
export function isTemporalUnavailable(err: unknown): boolean {
  if (err instanceof ServiceError)
    return isTemporalUnavailable(err.cause) || /unavailable|connect|deadline/i.test(err.message);
  if (isGrpcServiceError(err)) return (err.code as number) === 14 || (err.code as number) === 4; // UNAVAILABLE, DEADLINE_EXCEEDED
  return err instanceof Error && /ECONNREFUSED|connect|transport/i.test(err.message);
}

const temporalUnavailable = (err: unknown): AppError =>
  new AppError(
    OrderApiErrors.temporalUnavailable,
    503,
    `the order workflow engine is unreachable: ${(err as Error).message}`,
  );

export function createOrders(deps: OrdersDeps) {
  const { store, temporal } = deps;

  /** Bounds a Temporal call: an unreachable server answers 503 in seconds, not after the client's retries. */
  const bounded = <T>(ms: number, call: () => Promise<T>): Promise<T> =>
    temporal.connection.withDeadline(Date.now() + ms, call);

  async function liveState(orderId: string): Promise<OrderState | undefined> {
    try {
      return await bounded(2000, () => temporal.workflow.getHandle(orderId).query(orderStateQuery));
    } catch {
      return undefined; // no worker to answer, or Temporal down: the stored record still answers
    }
  }

  /**
   * A reviewer's decision comes hours later in its own HTTP request: its work is traced as a child of the
   * order's StartWorkflow span (read back from the workflow's first event), linked to the request, so the
   * decision and what it sets off sit in the order's one trace.
   */
  async function inOrderTrace<T>(orderId: string, name: string, fn: () => Promise<T>): Promise<T> {
    const request = trace.getActiveSpan();
    const started = await bounded(2000, () => workflowStartContext(temporal, orderId)).catch(() => undefined);
    const parent = contextWithOrder(orderId, started ?? context.active());
    return tracer.startActiveSpan(
      name,
      { links: request ? [{ context: request.spanContext() }] : [], attributes: { 'order.id': orderId } },
      parent,
      async (span) => {
        try {
          return await fn();
        } catch (err) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
          throw err;
        } finally {
          span.end();
        }
      },
    );
  }

  return {
    submit(request: OrderRequest, idempotencyKey: string | undefined): Promise<Accepted> {
      const orderId = orderIdFor(request.customerId, idempotencyKey);
      return withOrder(orderId, () => accept(orderId, request, idempotencyKey));
    },

    // Status reads are not tagged with order.id: clients poll, and `{ span.order.id = "…" }` must find
    // the order's story, not a trace per poll (the request span still has the path with the id).
    async get(orderId: string) {
      const record = await store.get(orderId);
      const state = await liveState(orderId);
      if (!record && !state)
        throw new AppError(OrderApiErrors.orderNotFound, 404, `order ${orderId} not found`);
      return present(orderId, record, state);
    },

    review(orderId: string, decision: ReviewDecision) {
      return withOrder(orderId, async () => {
        if (!(await store.get(orderId)))
          throw new AppError(OrderApiErrors.orderNotFound, 404, `order ${orderId} not found`);
        return inOrderTrace(orderId, `review order: ${decision.decision}`, () => decide(orderId, decision));
      });
    },
  };

  async function accept(
    orderId: string,
    request: OrderRequest,
    idempotencyKey: string | undefined,
  ): Promise<Accepted> {
    const requestHash = requestHashOf(request);
    const existing = await store.get(orderId);
    if (existing && existing.requestHash !== requestHash && existing.requestHash !== '') {
      throw new AppError(
        OrderApiErrors.idempotencyKeyReused,
        422,
        'this Idempotency-Key was already used for a different order',
      );
    }
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    const input: ProcessOrderInput = {
      orderId,
      request,
      reviewTimeoutSeconds: deps.reviewTimeoutSeconds,
      ...(traceId ? { traceId } : {}),
    };
    let duplicate = existing !== undefined;
    try {
      await bounded(START_DEADLINE_MS, () =>
        temporal.workflow.start(WORKFLOW_TYPE, orderWorkflowStartOptions(input)),
      );
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) duplicate = true;
      else if (isTemporalUnavailable(err)) throw temporalUnavailable(err);
      else throw err;
    }
    const { created, order } = await store.create({
      orderId,
      workflowId: orderId,
      idempotencyKey: idempotencyKey ?? null,
      requestHash,
      request,
      traceId: traceId ?? null,
    });
    return {
      orderId,
      workflowId: order.workflowId,
      traceId: order.traceId,
      status: order.status,
      duplicate: duplicate || !created,
    };
  }

  async function decide(orderId: string, decision: ReviewDecision) {
    try {
      const status = await bounded(30_000, () =>
        temporal.workflow.getHandle(orderId).executeUpdate(reviewDecisionUpdate, { args: [decision] }),
      );
      return { orderId, status };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        throw new AppError(OrderApiErrors.orderNotAwaitingReview, 409, err.cause?.message ?? err.message);
      }
      if (isTemporalUnavailable(err)) throw temporalUnavailable(err);
      // The order exists, but its workflow has finished: the server refuses updates to closed workflows.
      if (
        err instanceof WorkflowNotFoundError ||
        /completed|closed|not found/i.test((err as Error).message)
      ) {
        throw new AppError(
          OrderApiErrors.orderNotAwaitingReview,
          409,
          `order ${orderId} is ${(await store.get(orderId))?.status ?? 'closed'}, not awaiting review`,
        );
      }
      throw err;
    }
  }
}

export type Orders = ReturnType<typeof createOrders>;

/**
 * The order as GET /orders/:id shows it: the workflow's live state when Temporal answers (status and
 * timeline move together), else the stored record (Temporal down, or the history past retention).
 */
function present(orderId: string, record: OrderRecord | undefined, state: OrderState | undefined) {
  const status = state?.status ?? record?.status ?? 'received';
  const pricing = state?.pricing ?? record?.pricing ?? null;
  return {
    orderId,
    workflowId: record?.workflowId ?? orderId,
    status,
    customerId: record?.customerId ?? null,
    items: record?.request.items ?? [],
    totals: pricing
      ? {
          currency: pricing.currency,
          subtotalCents: pricing.subtotalCents,
          discountCents: pricing.discountCents,
          taxCents: pricing.taxCents,
          totalCents: pricing.totalCents,
        }
      : null,
    fraud: state?.fraud ?? null,
    review: state?.review ?? null,
    paymentIntentId: state?.payment?.paymentIntentId ?? record?.paymentIntentId ?? null,
    trackingNumber: state?.shipment?.trackingNumber ?? record?.trackingNumber ?? null,
    carrier: state?.shipment?.carrier ?? record?.carrier ?? null,
    failure: state?.failure ?? record?.failure ?? null,
    compensations: state?.compensations ?? record?.compensations ?? [],
    timeline: state?.timeline ?? [],
    traceId: record?.traceId ?? null,
    createdAt: record?.createdAt ?? null,
    updatedAt: record?.updatedAt ?? null,
  };
}
