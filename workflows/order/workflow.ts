// ProcessOrderWorkflow: ADR-0047's order saga. Steps run in ADR order; from ReserveInventory on, each
// step registers its compensation *before* it runs (its effect may land even when the activity reports
// a timeout), and any failure or cancellation runs the registered compensations in reverse order.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  proxySinks,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type {
  FraudActivities,
  OrderActivities,
  PaymentActivities,
  PaymentRequest,
} from '../activities/types.ts';
import { FailureType } from '../../contracts/failures.ts';
import {
  orderStateQuery,
  orderStatusAttribute,
  orderStatusSinceAttribute,
  reviewDecisionUpdate,
} from '../../contracts/order/definitions.ts';
import type { OrderMetricsSinks, WorkflowFinished } from '../../contracts/order/metrics-sink.ts';
import * as policy from './policies.ts';
import type {
  OrderOutcome,
  OrderState,
  ProcessOrderInput,
  ReviewDecision,
  StepName,
} from '../../contracts/order/types.ts';

const { validateOrder } = proxyActivities<OrderActivities>(policy.validateOrderOptions);
const { calculatePricing } = proxyActivities<OrderActivities>(policy.calculatePricingOptions);
const local = {
  validateOrder: proxyLocalActivities<OrderActivities>(policy.validateOrderLocalOptions).validateOrder,
  calculatePricing: proxyLocalActivities<OrderActivities>(policy.calculatePricingLocalOptions)
    .calculatePricing,
};
const { reserveInventory } = proxyActivities<OrderActivities>(policy.reserveInventoryOptions);
const { createShipment } = proxyActivities<OrderActivities>(policy.createShipmentOptions);
const { finalizeOrder, recordOrderFailed } = proxyActivities<OrderActivities>(policy.finalizeOrderOptions);
const { releaseInventoryReservation, cancelShipment } = proxyActivities<OrderActivities>(
  policy.compensationOptions,
);
const { runFraudCheck } = proxyActivities<FraudActivities>(policy.runFraudCheckOptions);
const { recordReviewDecision } = proxyActivities<FraudActivities>(policy.recordReviewOptions);
const { processPayment } = proxyActivities<PaymentActivities>(policy.processPaymentOptions);
const { refundPayment } = proxyActivities<PaymentActivities>(policy.refundPaymentOptions);
// Metrics: a sink, not an activity. It adds no command to the history (replay stays deterministic) and
// the worker does not call it while replaying.
const { orderMetrics } = proxySinks<OrderMetricsSinks>();

/**
 * One patch for this version's two changes (one marker and one TemporalChangeVersion upsert per order, not
 * two): ValidateOrder and CalculatePricing run as local activities (policies.ts says why), and the status
 * is upserted as search attributes. Executions started before it replay the old path: activity tasks, no
 * upserts, so their histories stay deterministic.
 */
export const LOCAL_READS_AND_STATUS_PATCH = 'local-reads-and-status-attribute';
/**
 * Not upserted: the local read steps run inside the order's first workflow task, so these statuses would
 * be overwritten before Temporal saw them (the gauges count such an order as 'received' meanwhile).
 */
const UNINDEXED_STATUSES: ReadonlySet<OrderState['status']> = new Set([
  'validating',
  'pricing',
  'completed',
  'failed',
  'compensation_failed',
]);

interface Compensation {
  readonly step: StepName;
  run(): Promise<string>;
}

export async function ProcessOrderWorkflow(input: ProcessOrderInput): Promise<OrderOutcome> {
  const { orderId, request } = input;
  const state: OrderState = { orderId, status: 'received', timeline: [], compensations: [] };
  const v2 = patched(LOCAL_READS_AND_STATUS_PATCH);
  let review: ReviewDecision | undefined;

  setHandler(orderStateQuery, () => state);
  setHandler(
    reviewDecisionUpdate,
    async (decision) => {
      review = decision;
      await condition(() => state.status !== 'awaiting_review');
      return state.status;
    },
    {
      validator: (decision: ReviewDecision) => {
        if (state.status !== 'awaiting_review')
          throw new Error(`order ${orderId} is ${state.status}, not awaiting_review`);
        if (decision.decision !== 'approve' && decision.decision !== 'reject')
          throw new Error('decision must be approve or reject');
        if (!decision.reviewer) throw new Error('reviewer is required');
      },
    },
  );

  const now = (): string => new Date().toISOString(); // workflow time: deterministic on replay
  /**
   * The status, in the query's state and in visibility: order-api's in-flight gauges list running orders
   * by these search attributes (one visibility read a scrape, no query that wakes a worker). The upsert
   * rides in the same workflow task completion as the step's activity; terminal statuses are not
   * upserted (a closed execution is not listed as running), nor the local read steps' (UNINDEXED_STATUSES).
   */
  function setStatus(status: OrderState['status']): void {
    state.status = status;
    if (v2 && !UNINDEXED_STATUSES.has(status)) {
      upsertSearchAttributes([
        { key: orderStatusAttribute, value: status },
        { key: orderStatusSinceAttribute, value: new Date() },
      ]);
    }
  }

  async function step<T>(name: StepName, status: OrderState['status'], run: () => Promise<T>): Promise<T> {
    setStatus(status);
    state.timeline.push({ step: name, status: 'started', at: now() });
    try {
      const result = await run();
      state.timeline.push({ step: name, status: 'completed', at: now() });
      return result;
    } catch (err) {
      state.timeline.push({ step: name, status: 'failed', at: now(), detail: describe(err) });
      state.failure ??= { step: name, type: failureType(err), message: describe(err) };
      throw err;
    }
  }

  const compensations: Compensation[] = [];
  try {
    const reads = v2 ? local : { validateOrder, calculatePricing };
    await step('ValidateOrder', 'validating', () => reads.validateOrder({ orderId, request }));
    const pricing = await step('CalculatePricing', 'pricing', () =>
      reads.calculatePricing({ orderId, request }),
    );
    state.pricing = pricing;

    const fraud = await step('RunFraudCheck', 'fraud_check', () =>
      runFraudCheck({ orderId, request, pricing }),
    );
    state.fraud = fraud;
    if (fraud.decision === 'review') {
      await step('HumanReview', 'awaiting_review', async () => {
        const timeout = `${input.reviewTimeoutSeconds ?? policy.DEFAULT_REVIEW_TIMEOUT_SECONDS} seconds`;
        // Deadline outcome: reject. An unreviewed high-risk order is never charged; the customer is
        // told and can order again, which is cheaper than a chargeback.
        if (!(await condition(() => review !== undefined, timeout))) {
          throw ApplicationFailure.nonRetryable(
            `no review decision within ${timeout}`,
            FailureType.reviewDeadlineExceeded,
          );
        }
        state.review = review;
        await recordReviewDecision({ orderId, review: review! });
        if (review!.decision === 'reject') {
          throw ApplicationFailure.nonRetryable(
            `rejected by reviewer ${review!.reviewer}`,
            FailureType.reviewRejected,
          );
        }
      });
    } else if (fraud.decision === 'reject') {
      const message = `fraud check rejected the order: ${fraud.reasons.join(', ') || 'high fraud risk'}`;
      state.failure = { step: 'RunFraudCheck', type: FailureType.fraudRejected, message };
      throw ApplicationFailure.nonRetryable(message, FailureType.fraudRejected);
    }

    compensations.push({
      step: 'ReleaseInventoryReservation',
      run: () => releaseInventoryReservation({ orderId }),
    });
    state.reservation = await step('ReserveInventory', 'reserving_inventory', () =>
      reserveInventory({ orderId, request }),
    );

    const paymentRequest: PaymentRequest = {
      orderId,
      customerId: request.customerId,
      amountCents: pricing.totalCents,
      currency: pricing.currency,
      paymentMethod: request.paymentMethod,
    };
    compensations.push({ step: 'RefundPayment', run: () => refundPayment(paymentRequest) });
    const payment = await step('ProcessPayment', 'processing_payment', () => processPayment(paymentRequest));
    state.payment = payment;

    compensations.push({ step: 'CancelShipment', run: () => cancelShipment({ orderId }) });
    const shipment = await step('CreateShipment', 'creating_shipment', () =>
      createShipment({ orderId, request }),
    );
    state.shipment = shipment;

    await step('FinalizeOrder', 'finalizing', () =>
      finalizeOrder({ orderId, request, pricing, payment, shipment }),
    );
    state.status = 'completed';
    reportFinished(state, 'completed', input.traceId);
    return outcome(state);
  } catch (err) {
    if (isCancellation(err)) {
      state.failure ??= {
        step: lastStep(state),
        type: FailureType.cancelled,
        message: 'order cancelled',
      };
    }
    // Compensations and the failure record must run to the end even when the workflow is cancelled.
    await CancellationScope.nonCancellable(async () => {
      if (compensations.length > 0) setStatus('compensating');
      for (const compensation of compensations.reverse()) {
        try {
          const detail = await compensation.run();
          state.compensations.push({ step: compensation.step, outcome: 'completed', detail });
        } catch (compErr) {
          log.error('compensation failed', { orderId, step: compensation.step, error: describe(compErr) });
          state.compensations.push({ step: compensation.step, outcome: 'failed', detail: describe(compErr) });
        }
      }
      const compensationFailed = state.compensations.some((c) => c.outcome === 'failed');
      const status = compensationFailed ? 'compensation_failed' : 'failed';
      state.timeline.push({ step: 'RecordOrderFailed', status: 'started', at: now() });
      await recordOrderFailed({
        orderId,
        request,
        status,
        failure: state.failure ?? { step: lastStep(state), type: failureType(err), message: describe(err) },
        compensations: state.compensations,
        pricing: state.pricing,
      });
      state.timeline.push({ step: 'RecordOrderFailed', status: 'completed', at: now() });
      state.status = status;
    });
    reportFinished(state, state.compensations.length > 0 ? 'compensated' : 'failed', input.traceId);
    // Recorded and compensated: the workflow now fails with the original cause, so the Temporal UI,
    // its failure type and `diagnose` all show why.
    log.info('order failed', {
      orderId,
      status: state.status,
      failure: state.failure,
      workflowId: workflowInfo().workflowId,
    });
    throw err;
  }
}

function reportFinished(
  state: OrderState,
  status: WorkflowFinished['status'],
  traceId: string | undefined,
): void {
  orderMetrics.workflowFinished({
    status,
    ...(traceId ? { traceId } : {}),
    // Workflow time (the current task's time), deterministic: no real clock in workflow code.
    durationSeconds: (Date.now() - workflowInfo().startTime.getTime()) / 1000,
    ...(status === 'completed'
      ? {}
      : {
          failedStep: state.failure?.step ?? lastStep(state),
          ...(state.failure ? { failureType: state.failure.type } : {}),
        }),
    failedCompensations: state.compensations.filter((c) => c.outcome === 'failed').map((c) => c.step),
  });
}

function outcome(state: OrderState): OrderOutcome {
  const { orderId, status, pricing, payment, shipment, failure, compensations } = state;
  return { orderId, status, pricing, payment, shipment, failure, compensations };
}

function lastStep(state: OrderState): StepName {
  return state.timeline.at(-1)?.step ?? 'ValidateOrder';
}

/** The stable type of a failure: the activity's ApplicationFailure type, or the timeout/retry cause. */
function failureType(err: unknown): string {
  if (isCancellation(err)) return FailureType.cancelled;
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type) return cause.type;
  if (cause && typeof cause === 'object' && 'name' in cause && typeof cause.name === 'string')
    return cause.name;
  return 'UnknownFailure';
}

function describe(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
