// The legacy pipeline's metrics: the ADR's own (order_workflow_status_total, order_workflow_duration_seconds,
// activity_duration_seconds per step, compensation_triggered_total) with the same names and labels as the
// saga's, plus `pipeline="legacy"` on every series of this process, so one query compares the pipelines.
// compensation_triggered_total stays 0 here: this pipeline has no saga. What it leaves instead is counted:
// orderflow_orphaned_payments_total, orders that failed after their payment was captured.
import { Counter } from 'prom-client';
import {
  createActivityMetrics,
  createWorkflowMetrics,
  type FailureKind,
  type MetricsRegistry,
  type WorkflowStatus,
} from '../../observability/metrics/definitions.ts';
import { observeWithTrace } from '../../observability/metrics/exemplars.ts';
import { LEGACY_STEPS, type CheckoutResult, type LegacyStep } from './checkout.ts';

export const PIPELINE = 'legacy';

/** Steps at or after which a failed checkout has already charged the customer. */
const CHARGED_STEPS = ['ProcessPayment', 'CreateShipment', 'FinalizeOrder'] as const;

/** The ADR counter's status and kind of a checkout's end: a passed deadline is the ADR's `timed_out`. */
export function statusOf(result: CheckoutResult): { status: WorkflowStatus; kind: FailureKind } {
  if (result.status === 'completed') return { status: 'completed', kind: 'none' };
  if (result.deadlineExceeded) return { status: 'timed_out', kind: 'technical' };
  return { status: 'failed', kind: result.declined ? 'business' : 'technical' };
}

export interface LegacyMetrics {
  step(step: LegacyStep, seconds: number): void;
  checkout(result: CheckoutResult, seconds: number): void;
}

export function createLegacyMetrics(registry: MetricsRegistry): LegacyMetrics {
  registry.setDefaultLabels({ pipeline: PIPELINE });
  const workflow = createWorkflowMetrics(registry);
  const steps = createActivityMetrics(registry, LEGACY_STEPS);
  const orphaned = new Counter({
    name: 'orderflow_orphaned_payments_total',
    help: 'Checkouts that failed after the payment was captured and were left charged (no saga refunds them), by the failing step.',
    labelNames: ['step'] as const,
    registers: [registry],
  });
  for (const s of CHARGED_STEPS) orphaned.labels(s).inc(0);
  return {
    step: (step, seconds) => observeWithTrace(steps, { activity: step }, seconds),
    checkout(result, seconds) {
      const { status, kind } = statusOf(result);
      workflow.status.labels(status, kind).inc();
      observeWithTrace(workflow.duration, { status }, seconds);
      if (result.status === 'failed' && result.charged) orphaned.labels(result.failure.step).inc();
    },
  };
}
