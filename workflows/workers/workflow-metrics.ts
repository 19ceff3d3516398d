// The order-worker's side of the workflow metrics sink (contracts/order/metrics-sink.ts).
// callDuringReplay: false, so replaying a finished workflow's history never counts it again.
import type { InjectedSinks } from '@temporalio/worker';
import { isBusinessDecline } from '../../contracts/failures.ts';
import type { OrderMetricsSinks, WorkflowFinished } from '../../contracts/order/metrics-sink.ts';
import type { FailureKind, WorkflowMetrics } from '../../observability/metrics/definitions.ts';
import { observeWithTrace } from '../../observability/metrics/exemplars.ts';

/**
 * The `kind` label of a finished workflow: none when it completed, business when its failure type is a
 * business decline of the failure catalogue, technical otherwise (an unknown or missing type included: a
 * failure nobody classified counts against the SLO, not for it).
 */
export function failureKindOf(event: Pick<WorkflowFinished, 'status' | 'failureType'>): FailureKind {
  if (event.status === 'completed') return 'none';
  return isBusinessDecline(event.failureType) ? 'business' : 'technical';
}

/** Applies one finished workflow to the metrics (exported for tests). */
export function recordWorkflowFinished(metrics: WorkflowMetrics, event: WorkflowFinished): void {
  metrics.status.labels(event.status, failureKindOf(event)).inc();
  observeWithTrace(
    metrics.duration,
    { status: event.status },
    Math.max(0, event.durationSeconds),
    event.traceId,
  );
  if (event.status === 'compensated' && event.failedStep)
    metrics.compensationTriggered.labels(event.failedStep).inc();
  for (const compensation of event.failedCompensations)
    metrics.compensationFailures.labels(compensation).inc();
}

export function orderMetricsSinks(metrics: WorkflowMetrics): InjectedSinks<OrderMetricsSinks> {
  return {
    orderMetrics: {
      workflowFinished: {
        fn: (_info, event) => recordWorkflowFinished(metrics, event),
        callDuringReplay: false,
      },
    },
  };
}
