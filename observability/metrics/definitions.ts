// ADR-0047's Prometheus metrics (Monitoring and Alerting) and the operational ones the alert rules use,
// defined in one place. Names and labels are the contract in alerts/README.md ("Metric contract"); every
// label value is pre-initialised, so a counter is 0, not absent, before its first event (the
// absent-metric alerts rely on that). Registries use the OpenMetrics format so exemplars can carry
// trace ids.
import { Counter, Histogram, Registry, type OpenMetricsContentType } from 'prom-client';

/** A registry that exposes the OpenMetrics text format. */
export type MetricsRegistry = Registry<OpenMetricsContentType>;

export function createRegistry(): MetricsRegistry {
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return registry;
}

// ---- workflow level (order-worker, through the workflow's metrics sink) ---------------------------------

/**
 * How a ProcessOrderWorkflow ended.
 * - completed: FinalizeOrder ran.
 * - compensated: it failed after at least one compensation ran (ReserveInventory or later failed, or the
 *   order was cancelled from then on). This includes `compensation_failed` orders: a compensation ran
 *   and failed, which orderflow_compensation_failures_total counts as well.
 * - failed: it failed with nothing to compensate (ValidateOrder, CalculatePricing, the fraud check,
 *   the review).
 * - timed_out: the workflow execution timeout ended it. A workflow cannot observe its own execution
 *   timeout (the server terminates it), so the sink never reports it; the value is pre-initialised to 0
 *   and stays 0 here. ProcessOrderWorkflow is started without an execution timeout (the review deadline
 *   is a timer inside the workflow and ends as `failed`); if one is ever set, count it from the Temporal
 *   server's `workflow_timeout` metric (namespace, workflowType="ProcessOrderWorkflow") in a recording
 *   rule, not from the worker.
 */
export const WORKFLOW_STATUSES = ['completed', 'failed', 'compensated', 'timed_out'] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

/**
 * The `kind` label of order_workflow_status_total: why a workflow did not complete.
 * - none: it completed (only with status completed).
 * - business: a business decline (a rule, a customer, a reviewer or a card issuer refused the order;
 *   nothing is broken). Which failure types are declines is contracts/failures.ts (`isBusinessDecline`);
 *   the order-worker maps the type to the kind, this module only knows the label values.
 * - technical: something broke (a downstream unavailable after the retries, a request bug, a cancellation,
 *   an unknown failure). The SLO and the burn-rate alerts judge these only; timed_out is always technical.
 */
export const FAILURE_KINDS = ['none', 'business', 'technical'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Every status × kind pair that can occur: pre-initialised, so each series exists (at 0) from the start. */
export const WORKFLOW_STATUS_KINDS: readonly { status: WorkflowStatus; kind: FailureKind }[] = [
  { status: 'completed', kind: 'none' },
  { status: 'failed', kind: 'business' },
  { status: 'failed', kind: 'technical' },
  { status: 'compensated', kind: 'business' },
  { status: 'compensated', kind: 'technical' },
  { status: 'timed_out', kind: 'technical' },
];

/** Steps whose failure can trigger compensation (the first compensation is registered before ReserveInventory). */
export const COMPENSATION_TRIGGER_STEPS = [
  'ReserveInventory',
  'ProcessPayment',
  'CreateShipment',
  'FinalizeOrder',
] as const;

export const COMPENSATIONS = ['CancelShipment', 'RefundPayment', 'ReleaseInventoryReservation'] as const;

/** Review can keep an order open for hours: 0.5 s to 1 h, then +Inf. */
export const WORKFLOW_DURATION_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 45, 60, 120, 300, 600, 1800, 3600];
export const ACTIVITY_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60, 90,
];

export interface WorkflowMetrics {
  readonly status: Counter<'status' | 'kind'>;
  readonly duration: Histogram<'status'>;
  readonly compensationTriggered: Counter<'step'>;
  readonly compensationFailures: Counter<'compensation'>;
}

export function createWorkflowMetrics(registry: MetricsRegistry): WorkflowMetrics {
  const status = new Counter({
    name: 'order_workflow_status_total',
    help: 'Finished ProcessOrderWorkflow executions by outcome: completed, failed (nothing to compensate), compensated (failed after compensations ran, including compensation_failed), timed_out; kind: none (completed), business (a decline), technical (something broke).',
    labelNames: ['status', 'kind'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'order_workflow_duration_seconds',
    help: 'ProcessOrderWorkflow duration from its start to its end (includes waiting for fraud review), by outcome.',
    labelNames: ['status'] as const,
    buckets: WORKFLOW_DURATION_BUCKETS,
    enableExemplars: true, // trace_id: observability/metrics/exemplars.ts
    registers: [registry],
  });
  const compensationTriggered = new Counter({
    name: 'compensation_triggered_total',
    help: 'Orders whose compensations ran, by the step that failed (or was running when the order was cancelled).',
    labelNames: ['step'] as const,
    registers: [registry],
  });
  const compensationFailures = new Counter({
    name: 'orderflow_compensation_failures_total',
    help: 'Compensations that finally failed after their retries (the order is compensation_failed; a human must act).',
    labelNames: ['compensation'] as const,
    registers: [registry],
  });
  for (const s of WORKFLOW_STATUS_KINDS) status.labels(s.status, s.kind).inc(0);
  for (const s of WORKFLOW_STATUSES) duration.zero({ status: s });
  for (const step of COMPENSATION_TRIGGER_STEPS) compensationTriggered.labels(step).inc(0);
  for (const c of COMPENSATIONS) compensationFailures.labels(c).inc(0);
  return { status, duration, compensationTriggered, compensationFailures };
}

// ---- activities (every worker, through an activity inbound interceptor) ---------------------------------

/** The ADR step names of the activities, in ADR order, then the compensations and the bookkeeping ones. */
export const ACTIVITY_STEPS = [
  'ValidateOrder',
  'CalculatePricing',
  'RunFraudCheck',
  'RecordReviewDecision',
  'ReserveInventory',
  'ProcessPayment',
  'CreateShipment',
  'FinalizeOrder',
  'CancelShipment',
  'RefundPayment',
  'ReleaseInventoryReservation',
  'RecordOrderFailed',
] as const;

/** The ADR step name of an activity function: `processPayment` → `ProcessPayment`. */
export function activityStepName(activityType: string): string {
  return activityType.charAt(0).toUpperCase() + activityType.slice(1);
}

export function createActivityMetrics(
  registry: MetricsRegistry,
  activities: readonly string[] = ACTIVITY_STEPS,
): Histogram<'activity'> {
  const duration = new Histogram({
    name: 'activity_duration_seconds',
    help: 'Duration of one activity attempt (successful or not) by ADR step name.',
    labelNames: ['activity'] as const,
    buckets: ACTIVITY_DURATION_BUCKETS,
    enableExemplars: true, // trace_id: observability/metrics/exemplars.ts
    registers: [registry],
  });
  for (const activity of activities) duration.zero({ activity });
  return duration;
}

// ---- HTTP services (RED) ------------------------------------------------------------------------------

export interface HttpMetrics {
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route' | 'status'>;
}

export function createHttpMetrics(registry: MetricsRegistry): HttpMetrics {
  const requests = new Counter({
    name: 'http_server_requests_total',
    help: 'HTTP requests served, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'HTTP request duration, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    enableExemplars: true, // trace_id: observability/metrics/exemplars.ts
    registers: [registry],
  });
  return { requests, duration };
}

/**
 * prom-client's default process metrics, with the event-loop delay sampled every 100 ms instead of its
 * default 10 ms: a 10 ms timer woke each process 100 times a second at idle (measured ~3.7 CPU-ms a second
 * per process against ~0.4 at 100 ms), and a lag worth alerting on is tens of milliseconds or more.
 */
export const DEFAULT_METRICS_OPTIONS = { eventLoopMonitoringPrecision: 100 } as const;
