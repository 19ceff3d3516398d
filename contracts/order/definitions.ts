// Signals, queries and updates of ProcessOrderWorkflow: one definition, used by the workflow and by
// order-api.
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { OrderState, ProcessOrderInput, ReviewDecision } from './types.ts';

export const WORKFLOW_TYPE = 'ProcessOrderWorkflow';

export const TASK_QUEUES = {
  /** The workflow and the light activities (order-worker). */
  orders: 'order-processing',
  /** RunFraudCheck (fraud-worker): scaled on its own, the ADR's CPU-heavy step. */
  fraud: 'fraud-checks',
  /** ProcessPayment and RefundPayment (payment-worker). */
  payments: 'payments',
} as const;

/**
 * How an order's workflow is started, wherever it is (order-api, shadow mode): the workflow id is the order
 * id, a second start of a running order joins it (a retried POST), and an order id never runs twice.
 */
export const orderWorkflowStartOptions = (input: ProcessOrderInput) => ({
  taskQueue: TASK_QUEUES.orders,
  workflowId: input.orderId,
  args: [input] as [ProcessOrderInput],
  workflowIdConflictPolicy: 'USE_EXISTING' as const,
  workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
});

export const orderStateQuery = defineQuery<OrderState>('orderState');

/** A reviewer's decision on a flagged order. Rejected by the validator unless the order awaits review. */
export const reviewDecisionUpdate = defineUpdate<OrderState['status'], [ReviewDecision]>('reviewDecision');

/**
 * Search attributes the workflow upserts when its status changes, so order-api's in-flight gauges are one
 * visibility list (no workflow query, no worker involved). Every Temporal server the stack runs registers
 * them at start (dev server: `--search-attribute Name=Type`; a cluster: the operator API).
 */
export const orderStatusAttribute = defineSearchAttributeKey('OrderStatus', 'KEYWORD');
export const orderStatusSinceAttribute = defineSearchAttributeKey('OrderStatusSince', 'DATETIME');
/** Name → the CLI's type name, for `temporal server start-dev --search-attribute` and operator registration. */
export const ORDER_SEARCH_ATTRIBUTES = { OrderStatus: 'Keyword', OrderStatusSince: 'Datetime' } as const;
