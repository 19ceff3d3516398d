// Activity option sets, one per ADR-0047 step profile ("Retry and Timeout Policies").
//
// Reading of "retry Nx": N attempts in total (maximumAttempts = N). The ADR's default is "3 attempts"
// and it calls payment's "2 retries only" a limit *below* the default, which only holds if retries
// count attempts; ReserveInventory and CreateShipment's "retry 3x" then restate the default.
import type { ActivityOptions, RetryPolicy } from '@temporalio/workflow';
import { TASK_QUEUES } from '../../contracts/order/definitions.ts';

const defaultRetry: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 3,
};

/** ADR default: 10 s start-to-close, 60 s schedule-to-close, 3 attempts, backoff 1 s x2 up to 30 s. */
export const defaultActivityOptions = {
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '60 seconds',
  retry: defaultRetry,
} as const satisfies ActivityOptions;

const attempts = (maximumAttempts: number): RetryPolicy => ({ ...defaultRetry, maximumAttempts });

export const validateOrderOptions = {
  ...defaultActivityOptions,
  startToCloseTimeout: '5 seconds',
} satisfies ActivityOptions;

export const calculatePricingOptions = {
  ...defaultActivityOptions,
  startToCloseTimeout: '10 seconds',
} satisfies ActivityOptions;

/** 30 s: ML inference; "retry 2x". Runs on the fraud workers' own queue. */
export const runFraudCheckOptions = {
  ...defaultActivityOptions,
  taskQueue: TASK_QUEUES.fraud,
  startToCloseTimeout: '30 seconds',
  retry: attempts(2),
} satisfies ActivityOptions;

export const reserveInventoryOptions = {
  ...defaultActivityOptions,
  startToCloseTimeout: '10 seconds',
  retry: attempts(3),
} satisfies ActivityOptions;

/** 30 s; "2 retries only (to prevent duplicate charges)". Idempotency keys make even these safe. */
export const processPaymentOptions = {
  ...defaultActivityOptions,
  taskQueue: TASK_QUEUES.payments,
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '90 seconds', // two 30 s attempts plus backoff must fit
  retry: attempts(2),
} satisfies ActivityOptions;

export const createShipmentOptions = {
  ...defaultActivityOptions,
  startToCloseTimeout: '15 seconds',
  retry: attempts(3),
} satisfies ActivityOptions;

/**
 * FinalizeOrder and the failure record are idempotent and "can retry": they retry until they succeed
 * (no attempt limit, no schedule-to-close), because a Kafka or store outage must neither lose the
 * outcome of a paid order nor turn it into a failure.
 */
export const finalizeOrderOptions = {
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' }, // no maximumAttempts: unlimited
} satisfies ActivityOptions;

export const recordOutcomeOptions = finalizeOrderOptions;

/**
 * Compensations must not give up quickly (a refund that did not happen is an orphaned payment), but
 * must end: 10 attempts over about 4 minutes, then the workflow records compensation_failed.
 */
export const compensationOptions = {
  startToCloseTimeout: '15 seconds',
  scheduleToCloseTimeout: '10 minutes',
  retry: { ...defaultRetry, maximumAttempts: 10 },
} satisfies ActivityOptions;

export const refundPaymentOptions = {
  ...compensationOptions,
  taskQueue: TASK_QUEUES.payments,
  startToCloseTimeout: '30 seconds',
} satisfies ActivityOptions;

/** Recording a reviewer's decision with the fraud service is feedback only: best effort. */
export const recordReviewOptions = {
  ...defaultActivityOptions,
  taskQueue: TASK_QUEUES.fraud,
} satisfies ActivityOptions;

/** Review deadline when the caller sets none. */
export const DEFAULT_REVIEW_TIMEOUT_SECONDS = 24 * 60 * 60;
