// The workflow's metrics sink: ProcessOrderWorkflow reports how it finished through it, and the
// order-worker turns that into Prometheus metrics (workflows/workers/workflow-metrics.ts). A sink call
// is no command: it leaves the history unchanged, and the worker registers it with
// callDuringReplay: false, so a replayed workflow (worker restart, cache eviction) does not count twice.
import type { Sinks } from '@temporalio/workflow';
import type { StepName } from './types.ts';

export interface WorkflowFinished {
  /** completed; compensated (failed after ≥1 compensation ran); failed (nothing to compensate). */
  readonly status: 'completed' | 'failed' | 'compensated';
  /** Workflow time from workflowInfo().startTime to the end. */
  readonly durationSeconds: number;
  /**
   * The failure type (contracts/failures.ts `FailureType`, or the cause's name for an unexpected error);
   * absent when completed. The worker labels the status with its kind: a business decline or technical.
   */
  readonly failureType?: string;
  /** The step that failed (or was running when the order was cancelled); absent when completed. */
  readonly failedStep?: StepName;
  /** Compensations that finally failed. */
  readonly failedCompensations: readonly StepName[];
  /** The order's trace (from order-api), the exemplar of the duration observation. */
  readonly traceId?: string;
}

export interface OrderMetricsSinks extends Sinks {
  orderMetrics: {
    workflowFinished(event: WorkflowFinished): void;
  };
}
