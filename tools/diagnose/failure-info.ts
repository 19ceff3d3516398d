// Reads a Temporal failure (as stored in the history) into what an on-call engineer needs: the stable
// type, the message, and the downstream details the activities attach (workflows/activities/failures.ts).
import { decodeRetryState, decodeTimeoutType, defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { DownstreamErrorDetails } from '../../contracts/failures.ts';

export type ProtoFailure = temporal.api.failure.v1.IFailure;
type Payloads = temporal.api.common.v1.IPayloads;

export interface FailureInfo {
  /** ApplicationFailure type (`UndeliverableAddress`, `DownstreamUnavailable`, …), or `Timeout:<kind>`, `Cancelled`. */
  readonly type: string;
  readonly message: string;
  readonly nonRetryable: boolean;
  /** The downstream service that answered (or did not), when the activity named it. */
  readonly service?: string;
  readonly status?: number;
  readonly code?: string;
  /** The service answered with an /admin/faults error (a drill), per the activity's details. */
  readonly injectedFault: boolean;
  /** For timeouts: the failure of the last attempt that did fail, when Temporal kept it. */
  readonly underlying?: FailureInfo;
}

export function decodePayloads(payloads: Payloads | null | undefined): unknown[] {
  return (payloads?.payloads ?? []).map((p) => {
    try {
      return defaultPayloadConverter.fromPayload(p);
    } catch {
      return undefined; // an encoding this reader does not know: keep the slot
    }
  });
}

/** The first payload of `payloads` as an object, or undefined. */
export function firstPayload<T>(payloads: Payloads | null | undefined): T | undefined {
  const [value] = decodePayloads(payloads);
  return value === null || value === undefined ? undefined : (value as T);
}

/** Skips the ActivityFailure / ChildWorkflowFailure wrappers to the failure that says what happened. */
export function rootFailure(failure: ProtoFailure): ProtoFailure {
  let current = failure;
  while ((current.activityFailureInfo || current.childWorkflowExecutionFailureInfo) && current.cause)
    current = current.cause;
  return current;
}

export function readFailure(failure: ProtoFailure | null | undefined): FailureInfo | undefined {
  if (!failure) return undefined;
  const root = rootFailure(failure);
  const message = root.message ?? '';
  if (root.timeoutFailureInfo) {
    const kind = decodeTimeoutType(root.timeoutFailureInfo.timeoutType) ?? 'UNSPECIFIED';
    return {
      type: `Timeout:${kind}`,
      message: message || `activity ${kind} timeout`,
      nonRetryable: false,
      injectedFault: false,
      ...(root.cause ? { underlying: readFailure(root.cause) } : {}),
    };
  }
  if (root.canceledFailureInfo)
    return { type: 'Cancelled', message, nonRetryable: true, injectedFault: false };
  if (root.terminatedFailureInfo)
    return { type: 'Terminated', message, nonRetryable: true, injectedFault: false };
  const app = root.applicationFailureInfo;
  const details = firstPayload<Partial<DownstreamErrorDetails>>(app?.details);
  return {
    type: app?.type || (root.serverFailureInfo ? 'ServerFailure' : 'UnknownFailure'),
    message,
    nonRetryable: app?.nonRetryable === true,
    ...(typeof details?.service === 'string' ? { service: details.service } : {}),
    ...(typeof details?.status === 'number' ? { status: details.status } : {}),
    ...(typeof details?.code === 'string' ? { code: details.code } : {}),
    injectedFault: details?.injectedFault === true,
  };
}

export const retryStateName = (
  state: temporal.api.enums.v1.RetryState | null | undefined,
): string | undefined => decodeRetryState(state) ?? undefined;
