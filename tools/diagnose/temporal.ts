// Reads orders from Temporal: one workflow's history (and, while it runs, its pending activities), and
// the orders that ended badly in a time window. The workflow id is the order id. Every call is bounded.
import { Client, Connection, isGrpcServiceError, type WorkflowExecutionInfo } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import {
  orderStatusAttribute,
  orderStatusSinceAttribute,
  WORKFLOW_TYPE,
} from '../../contracts/order/definitions.ts';
import { CALL_TIMEOUT_MS, type Endpoints } from './endpoints.ts';
import { explainTemporalConnectError, explainTemporalConnectFailure } from '../../platform/temporal.ts';
import { DiagnoseError, EXIT } from './errors.ts';
import { activityStepName } from '../../observability/metrics/definitions.ts';
import { readFailure, type FailureInfo } from './failure-info.ts';

const GRPC_NOT_FOUND = 5;

export interface PendingStep {
  readonly step: string;
  /** The attempt running now or waiting for its backoff. */
  readonly attempt: number;
  readonly lastFailure?: FailureInfo;
}

export async function connectTemporal(endpoints: Endpoints): Promise<Client> {
  try {
    const connection = await Connection.connect({
      ...endpoints.temporal,
      connectTimeout: CALL_TIMEOUT_MS,
    });
    return new Client({ connection, namespace: endpoints.namespace });
  } catch (err) {
    // Finds the TLS or credential setting at fault when the SDK only reports its deadline.
    throw temporalUnavailable(endpoints, await explainTemporalConnectFailure(err, endpoints.temporal));
  }
}

export function temporalUnavailable(endpoints: Endpoints, err: unknown): DiagnoseError {
  // Names the TEMPORAL_* setting to fix when TLS or credentials are the cause (platform/temporal.ts).
  const reason =
    err instanceof Error && err.message.startsWith('Temporal at ')
      ? err.message
      : explainTemporalConnectError(err, endpoints.temporal).message;
  return new DiagnoseError(
    'TEMPORAL_UNAVAILABLE',
    EXIT.temporalUnavailable,
    `Temporal at ${endpoints.temporalAddress} did not answer (${reason}); the workflow history is the one source ` +
      'diagnose cannot do without. Is the stack up? `npm run status`',
  );
}

const bounded = <T>(client: Client, fn: () => Promise<T>): Promise<T> =>
  client.withDeadline(Date.now() + CALL_TIMEOUT_MS, fn);

export async function fetchOrderHistory(
  client: Client,
  endpoints: Endpoints,
  orderId: string,
): Promise<temporal.api.history.v1.IHistory> {
  try {
    return await bounded(client, () => client.workflow.getHandle(orderId).fetchHistory());
  } catch (err) {
    if (isGrpcServiceError(err) && Number(err.code) === GRPC_NOT_FOUND) {
      throw new DiagnoseError(
        'ORDER_NOT_FOUND',
        EXIT.orderNotFound,
        `no order ${orderId} in Temporal namespace ${endpoints.namespace} (the workflow id is the order id, ` +
          'e.g. ord_2ef7208cc85a96d7a193b889d9; finished workflows are kept for the namespace retention period)',
      );
    }
    throw temporalUnavailable(endpoints, err);
  }
}

/** The activities a running order is retrying or waiting on: what its history does not show yet. */
export async function pendingSteps(client: Client, orderId: string): Promise<PendingStep[]> {
  const { raw } = await bounded(client, () => client.workflow.getHandle(orderId).describe());
  return (raw.pendingActivities ?? []).map((a) => ({
    step: activityStepName(a.activityType?.name ?? 'unknown'),
    attempt: a.attempt ?? 1,
    ...(a.lastFailure ? { lastFailure: readFailure(a.lastFailure) } : {}),
  }));
}

/**
 * The visibility query for orders that closed without completing. Explicit statuses: on the dev server's
 * SQLite visibility, `CloseTime > … AND ExecutionStatus != 'Completed'` also matches running workflows.
 */
export const endedBadlyQuery = (since: Date): string =>
  `WorkflowType = '${WORKFLOW_TYPE}' AND CloseTime > '${since.toISOString()}' ` +
  `AND ExecutionStatus IN ('Failed', 'Canceled', 'Terminated', 'TimedOut')`;

/**
 * Running orders that have been in their status since before `before`, other than those waiting for a
 * reviewer: the ones that may be retrying a step. Listed by the status search attributes (one visibility
 * read, no worker involved); those without the attributes (started before the patch) are not listed.
 */
export const stalledQuery = (before: Date): string =>
  `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' ` +
  `AND ${orderStatusAttribute.name} != 'awaiting_review' AND ${orderStatusSinceAttribute.name} < '${before.toISOString()}'`;

export async function ordersStalledSince(client: Client, before: Date, limit: number): Promise<string[]> {
  return bounded(client, async () => {
    const ids: string[] = [];
    for await (const wf of client.workflow.list({ query: stalledQuery(before) })) {
      if (ids.length >= limit) break;
      ids.push(wf.workflowId);
    }
    return ids;
  });
}

/** Orders that closed without completing since `since`, newest first, at most `limit`. */
export async function ordersEndedBadlySince(
  client: Client,
  since: Date,
  limit: number,
): Promise<{ orders: WorkflowExecutionInfo[]; truncated: boolean }> {
  const query = endedBadlyQuery(since);
  return bounded(client, async () => {
    const orders: WorkflowExecutionInfo[] = [];
    for await (const wf of client.workflow.list({ query })) {
      if (orders.length >= limit) return { orders, truncated: true };
      orders.push(wf);
    }
    return { orders, truncated: false };
  });
}

/** How many orders completed and how many are still running: the denominator of the summary. */
export async function orderCounts(
  client: Client,
  since: Date,
): Promise<{ completed: number; running: number }> {
  const count = async (q: string) =>
    (await bounded(client, () => client.workflow.count(`WorkflowType = '${WORKFLOW_TYPE}' AND ${q}`))).count;
  const [completed, running] = await Promise.all([
    count(`CloseTime > '${since.toISOString()}' AND ExecutionStatus = 'Completed'`),
    count(`ExecutionStatus = 'Running'`),
  ]);
  return { completed, running };
}
