// The PromQL the gate reads, in one place: each pipeline's finished orders, technical failures and slow orders
// over the phase's window. Both pipelines export the ADR's own series (order_workflow_status_total{status,kind},
// order_workflow_duration_seconds); legacy-order-service adds pipeline="legacy" to every series of its process,
// the Temporal pipeline's workers carry no pipeline label (or "temporal"). Change a selector here, nowhere else.
import type { Pipeline } from '../../services/order-router/routing.ts';

export const PIPELINE_SELECTORS: Readonly<Record<Pipeline, string>> = {
  temporal: 'pipeline=~"|temporal"',
  legacy: 'pipeline="legacy"',
};

/** Slow: took longer than this to finish; a bucket bound of order_workflow_duration_seconds (WORKFLOW_DURATION_BUCKETS). */
export const DEFAULT_SLOW_AFTER_SECONDS = 2;

export interface OutcomeQueries {
  readonly orders: string;
  readonly failed: string;
  readonly slow: string;
}

export function outcomeQueries(pipeline: Pipeline, windowSeconds: number, slowAfter: number): OutcomeQueries {
  if (!(Number.isInteger(windowSeconds) && windowSeconds > 0))
    throw new RangeError(`window ${windowSeconds} s must be a positive whole number of seconds`);
  const sel = PIPELINE_SELECTORS[pipeline];
  const w = `${windowSeconds}s`;
  return {
    orders: `sum(increase(order_workflow_status_total{${sel}}[${w}]))`,
    failed: `sum(increase(order_workflow_status_total{${sel},kind="technical"}[${w}]))`,
    slow:
      `sum(increase(order_workflow_duration_seconds_count{${sel}}[${w}]))` +
      ` - sum(increase(order_workflow_duration_seconds_bucket{${sel},le="${slowAfter}"}[${w}]))`,
  };
}
