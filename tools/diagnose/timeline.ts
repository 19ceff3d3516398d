// An order's timeline from its ProcessOrderWorkflow history: every step with its attempts and durations,
// the failing step and its cause, the compensations and how they ended. Pure: the history in, the model
// out, so it runs the same on a live history and on the committed recordings.
//
// Temporal writes one Scheduled/Started/Closed triple per activity, not per attempt: Started carries the
// attempt number of the last attempt and `lastFailure` (why the attempt before it failed). Per-attempt
// durations come from the trace (trace-evidence.ts).
import { FailureType } from '../../contracts/failures.ts';
import type { temporal } from '@temporalio/proto';
import { activityStepName, COMPENSATIONS } from '../../observability/metrics/definitions.ts';
import type {
  OrderFailure,
  OrderStatus,
  ProcessOrderInput,
  ReviewDecision,
} from '../../contracts/order/types.ts';
import {
  decodePayloads,
  firstPayload,
  readFailure,
  retryStateName,
  type FailureInfo,
} from './failure-info.ts';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export type StepKind = 'step' | 'compensation' | 'record';
export type RunOutcome = 'completed' | 'failed' | 'timed_out' | 'cancelled' | 'running';

export interface StepRun {
  /** ADR step name: `CreateShipment`, `RefundPayment`, `HumanReview`, … */
  readonly step: string;
  readonly kind: StepKind;
  readonly taskQueue?: string;
  readonly scheduledAt: string;
  readonly closedAt?: string;
  /** Attempts made (the last attempt's number); 0 while still waiting for a worker. */
  readonly attempts: number;
  /** Scheduled to closed: every attempt plus the retry backoff between them. */
  readonly durationMs?: number;
  /** The last attempt alone. */
  readonly lastAttemptMs?: number;
  readonly outcome: RunOutcome;
  readonly failure?: FailureInfo;
  /** Why the attempt before the last one failed (a retried step that later succeeded shows it here). */
  readonly previousAttemptFailure?: FailureInfo;
  /** Temporal's retry state when it gave up: `MAXIMUM_ATTEMPTS_REACHED`, `NON_RETRYABLE_FAILURE`, … */
  readonly retryState?: string;
  /** A compensation's own account of what it did (`refunded 2144 usd (re_…)`). */
  readonly detail?: string;
}

export type WorkflowStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed_out';
/** As the ADR metrics count it (observability/metrics), plus the states of an order that has not ended well. */
export type OrderOutcome =
  | 'running'
  | 'completed'
  | 'compensated'
  | 'compensation_failed'
  | 'failed'
  | 'cancelled'
  | 'terminated'
  | 'timed_out';

export interface OrderTimeline {
  readonly orderId: string;
  readonly runId?: string;
  readonly customerId?: string;
  readonly workflowStatus: WorkflowStatus;
  readonly outcome: OrderOutcome;
  readonly startedAt: string;
  readonly closedAt?: string;
  readonly durationMs?: number;
  /** Every step, compensation and record, in the order they were scheduled. */
  readonly runs: readonly StepRun[];
  /** The ADR step the order failed at, as the workflow itself recorded it when it could. */
  readonly failedStep?: string;
  readonly cause?: FailureInfo;
  /** The workflow's own failure record (the RecordOrderFailed input), when it got that far. */
  readonly recordedFailure?: OrderFailure;
  readonly review?: { readonly decision?: ReviewDecision['decision']; readonly reviewer?: string };
}

const COMPENSATION_STEPS: ReadonlySet<string> = new Set(COMPENSATIONS);

/** The marker the SDK records for a local activity, and the part of its data the timeline reads. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
interface LocalActivityMarkerData {
  readonly activity_type?: string;
  readonly attempt?: number;
  readonly original_schedule_time?: { readonly seconds?: number | string; readonly nanos?: number };
}
const timestampOf = (t: LocalActivityMarkerData['original_schedule_time']): Date | undefined =>
  t?.seconds === undefined
    ? undefined
    : new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6));

/** protobufjs gives int64 fields as Long objects or numbers, depending on how the history was decoded. */
const int64 = (v: unknown): number =>
  typeof v === 'object' && v !== null && 'toNumber' in v
    ? (v as { toNumber(): number }).toNumber()
    : Number(v ?? 0);
const at = (e: HistoryEvent): Date => {
  const t = e.eventTime;
  return new Date(int64(t?.seconds) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6));
};
const idOf = (v: unknown): string => (typeof v === 'string' ? v : String(int64(v)));

function kindOf(step: string): StepKind {
  if (COMPENSATION_STEPS.has(step)) return 'compensation';
  return step === 'RecordOrderFailed' ? 'record' : 'step';
}

interface MutableRun {
  step: string;
  kind: StepKind;
  taskQueue?: string;
  scheduled: Date;
  started?: Date;
  closed?: Date;
  attempts: number;
  outcome: RunOutcome;
  failure?: FailureInfo;
  previousAttemptFailure?: FailureInfo;
  retryState?: string;
  detail?: string;
  input?: unknown;
}

export function buildTimeline(orderId: string, history: History): OrderTimeline {
  const events = history.events ?? [];
  const runs = new Map<string, MutableRun>(); // by scheduled event id
  const timers = new Map<string, MutableRun>(); // the review deadline timer
  let startedAt: Date | undefined;
  let closedAt: Date | undefined;
  let workflowStatus: WorkflowStatus = 'running';
  let workflowFailure: FailureInfo | undefined;
  let input: ProcessOrderInput | undefined;
  let runId: string | undefined;
  let workflowTaskQueue: string | undefined;
  let review: OrderTimeline['review'];

  for (const e of events) {
    const time = at(e);
    const id = idOf(e.eventId);
    if (e.workflowExecutionStartedEventAttributes) {
      const a = e.workflowExecutionStartedEventAttributes;
      startedAt = time;
      runId = a.originalExecutionRunId ?? undefined;
      workflowTaskQueue = a.taskQueue?.name ?? undefined;
      input = firstPayload<ProcessOrderInput>(a.input);
    } else if (e.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) {
      // A local activity (ValidateOrder, CalculatePricing): one marker when it ended, no task queue of
      // its own (the workflow's worker ran it), the last attempt's number in the marker's data.
      const m = e.markerRecordedEventAttributes;
      const data = firstPayload<LocalActivityMarkerData>(m.details?.data);
      if (data?.activity_type) {
        const step = activityStepName(data.activity_type);
        const failure = readFailure(m.failure);
        const scheduledAt = timestampOf(data.original_schedule_time);
        runs.set(id, {
          step,
          kind: kindOf(step),
          ...(workflowTaskQueue ? { taskQueue: workflowTaskQueue } : {}),
          scheduled: scheduledAt && scheduledAt < time ? scheduledAt : time,
          closed: time,
          attempts: data.attempt ?? 1,
          outcome: failure ? 'failed' : 'completed',
          ...(failure
            ? {
                failure,
                retryState: failure.nonRetryable ? 'NON_RETRYABLE_FAILURE' : 'MAXIMUM_ATTEMPTS_REACHED',
              }
            : {}),
        });
      }
    } else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      const step = activityStepName(a.activityType?.name ?? 'unknown');
      runs.set(id, {
        step,
        kind: kindOf(step),
        taskQueue: a.taskQueue?.name ?? undefined,
        scheduled: time,
        attempts: 0,
        outcome: 'running',
        input: step === 'RecordOrderFailed' ? firstPayload(a.input) : undefined,
      });
    } else if (e.activityTaskStartedEventAttributes) {
      const a = e.activityTaskStartedEventAttributes;
      const run = runs.get(idOf(a.scheduledEventId));
      if (run) {
        run.started = time;
        run.attempts = a.attempt ?? 1;
        run.previousAttemptFailure = readFailure(a.lastFailure);
      }
    } else if (e.activityTaskCompletedEventAttributes) {
      const a = e.activityTaskCompletedEventAttributes;
      const run = runs.get(idOf(a.scheduledEventId));
      if (run) {
        Object.assign(run, { closed: time, outcome: 'completed' });
        const [result] = decodePayloads(a.result);
        if (run.kind === 'compensation' && typeof result === 'string') run.detail = result;
      }
    } else if (e.activityTaskFailedEventAttributes) {
      const a = e.activityTaskFailedEventAttributes;
      const run = runs.get(idOf(a.scheduledEventId));
      if (run)
        Object.assign(run, {
          closed: time,
          outcome: 'failed',
          failure: readFailure(a.failure),
          retryState: retryStateName(a.retryState),
        });
    } else if (e.activityTaskTimedOutEventAttributes) {
      const a = e.activityTaskTimedOutEventAttributes;
      const run = runs.get(idOf(a.scheduledEventId));
      if (run)
        Object.assign(run, {
          closed: time,
          outcome: 'timed_out',
          failure: readFailure(a.failure),
          retryState: retryStateName(a.retryState),
        });
    } else if (e.activityTaskCanceledEventAttributes) {
      const run = runs.get(idOf(e.activityTaskCanceledEventAttributes.scheduledEventId));
      if (run) Object.assign(run, { closed: time, outcome: 'cancelled' });
    } else if (e.timerStartedEventAttributes) {
      // The only timer ProcessOrderWorkflow starts is the review deadline.
      timers.set(idOf(e.timerStartedEventAttributes.timerId), {
        step: 'HumanReview',
        kind: 'step',
        scheduled: time,
        attempts: 1,
        outcome: 'running',
      });
    } else if (e.timerFiredEventAttributes) {
      const run = timers.get(idOf(e.timerFiredEventAttributes.timerId));
      if (run)
        Object.assign(run, {
          closed: time,
          outcome: 'failed',
          failure: {
            type: FailureType.reviewDeadlineExceeded,
            message: 'no review decision before the deadline',
            nonRetryable: true,
            injectedFault: false,
          },
        });
    } else if (e.timerCanceledEventAttributes) {
      const run = timers.get(idOf(e.timerCanceledEventAttributes.timerId));
      if (run) Object.assign(run, { closed: time, outcome: 'completed' });
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      const request = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
      const [decision] = decodePayloads(request?.input?.args) as [ReviewDecision | undefined];
      if (decision?.decision) review = { decision: decision.decision, reviewer: decision.reviewer };
    } else if (e.workflowExecutionCompletedEventAttributes) {
      [workflowStatus, closedAt] = ['completed', time];
    } else if (e.workflowExecutionFailedEventAttributes) {
      [workflowStatus, closedAt] = ['failed', time];
      workflowFailure = readFailure(e.workflowExecutionFailedEventAttributes.failure);
    } else if (e.workflowExecutionCanceledEventAttributes) {
      [workflowStatus, closedAt] = ['cancelled', time];
      workflowFailure = {
        type: 'Cancelled',
        message: 'workflow cancelled',
        nonRetryable: true,
        injectedFault: false,
      };
    } else if (e.workflowExecutionTerminatedEventAttributes) {
      [workflowStatus, closedAt] = ['terminated', time];
      const reason = e.workflowExecutionTerminatedEventAttributes.reason ?? '';
      workflowFailure = { type: 'Terminated', message: reason, nonRetryable: true, injectedFault: false };
    } else if (e.workflowExecutionTimedOutEventAttributes) {
      [workflowStatus, closedAt] = ['timed_out', time];
    }
  }

  if (review?.decision === 'reject') {
    // The decision cancels the deadline timer, but the review step itself ended the order.
    for (const run of timers.values())
      Object.assign(run, {
        outcome: 'failed',
        failure: {
          type: FailureType.reviewRejected,
          message: `rejected by reviewer ${review.reviewer ?? '?'}`,
          nonRetryable: true,
          injectedFault: false,
        },
      });
  }
  const all = [...runs.values(), ...timers.values()].sort(
    (a, b) => a.scheduled.getTime() - b.scheduled.getTime(),
  );
  const record = all.find((r) => r.step === 'RecordOrderFailed')?.input as
    { status?: OrderStatus; failure?: OrderFailure } | undefined;
  const recordedFailure = record?.failure;
  // The workflow's own verdict first; otherwise the first ADR step that did not succeed.
  const failedRun =
    (recordedFailure && all.findLast((r) => r.step === recordedFailure.step && r.outcome !== 'completed')) ||
    all.find((r) => r.kind === 'step' && (r.outcome === 'failed' || r.outcome === 'timed_out'));
  const failedStep = recordedFailure?.step ?? failedRun?.step;
  const compensations = all.filter((r) => r.kind === 'compensation');
  const cause =
    failedRun?.failure ??
    (recordedFailure
      ? {
          type: recordedFailure.type,
          message: recordedFailure.message,
          nonRetryable: true,
          injectedFault: false,
        }
      : workflowFailure);
  const begun = startedAt ?? new Date(0);

  return {
    orderId: input?.orderId ?? orderId,
    ...(runId ? { runId } : {}),
    ...(input?.request?.customerId ? { customerId: input.request.customerId } : {}),
    workflowStatus,
    outcome: outcomeOf(workflowStatus, compensations, record?.status),
    startedAt: begun.toISOString(),
    ...(closedAt
      ? { closedAt: closedAt.toISOString(), durationMs: closedAt.getTime() - begun.getTime() }
      : {}),
    runs: all.map(freeze),
    ...(failedStep ? { failedStep } : {}),
    // The failing activity's failure carries the downstream details; the workflow's record or its own
    // failure are the fallback (FraudRejected, ReviewRejected and cancellations fail no activity).
    ...(cause ? { cause } : {}),
    ...(recordedFailure ? { recordedFailure } : {}),
    ...(review ? { review } : {}),
  };
}

function outcomeOf(
  status: WorkflowStatus,
  compensations: readonly MutableRun[],
  recorded: OrderStatus | undefined,
): OrderOutcome {
  if (status === 'completed' || status === 'terminated' || status === 'timed_out') return status;
  if (recorded === 'compensation_failed' || compensations.some((c) => c.outcome === 'failed'))
    return 'compensation_failed';
  if (status === 'running') return 'running';
  if (compensations.length > 0) return 'compensated';
  return status === 'cancelled' ? 'cancelled' : 'failed';
}

function freeze(run: MutableRun): StepRun {
  const { step, kind, taskQueue, scheduled, started, closed, attempts, outcome } = run;
  return {
    step,
    kind,
    ...(taskQueue ? { taskQueue } : {}),
    scheduledAt: scheduled.toISOString(),
    ...(closed ? { closedAt: closed.toISOString(), durationMs: closed.getTime() - scheduled.getTime() } : {}),
    ...(closed && started ? { lastAttemptMs: closed.getTime() - started.getTime() } : {}),
    attempts,
    outcome,
    ...(run.failure ? { failure: run.failure } : {}),
    ...(run.previousAttemptFailure ? { previousAttemptFailure: run.previousAttemptFailure } : {}),
    ...(run.retryState ? { retryState: run.retryState } : {}),
    ...(run.detail ? { detail: run.detail } : {}),
  };
}
