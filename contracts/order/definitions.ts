// Signals, queries and updates of ProcessOrderWorkflow: one definition, used by the workflow and by
// order-api.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { OrderState, ReviewDecision } from './types.ts';

export const WORKFLOW_TYPE = 'ProcessOrderWorkflow';

export const TASK_QUEUES = {
  /** The workflow and the light activities (order-worker). */
  orders: 'order-processing',
  /** RunFraudCheck (fraud-worker): scaled on its own, the ADR's CPU-heavy step. */
  fraud: 'fraud-checks',
  /** ProcessPayment and RefundPayment (payment-worker). */
  payments: 'payments',
} as const;

export const orderStateQuery = defineQuery<OrderState>('orderState');

/** A reviewer's decision on a flagged order. Rejected by the validator unless the order awaits review. */
export const reviewDecisionUpdate = defineUpdate<OrderState['status'], [ReviewDecision]>('reviewDecision');
