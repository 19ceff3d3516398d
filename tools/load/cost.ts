// Cost per order: the billable Temporal Cloud actions of a run's workflows, counted from their event
// histories, and priced at Temporal Cloud's published pay-as-you-go tiers and at ADR-0047's $25 per million,
// beside the ADR's own arithmetic (7 actions per order).
//
// What counts as an action: Temporal Cloud, "Temporal Cloud Actions",
//   https://docs.temporal.io/cloud/actions (source: temporalio/documentation docs/evaluate/cloud/actions.mdx)
//   - workflow started (client start, continue-as-new, child start): 1; a failed or de-duplicated start: 0
//   - start child workflow initiated: 2 (storing the intent and the attempt to start it); the child's own
//     WorkflowExecutionStarted is that attempt, so it is not counted again
//   - activity scheduled: 1; every retry: 1 (ActivityTaskStarted.attempt - 1: intermediate attempts write no
//     event of their own; a workflow terminated while an activity is between retries has no STARTED event)
//   - local activities: all markers recorded by one workflow task: 1; their retries after the first attempt:
//     WorkflowTaskCompleted.meteringMetadata.nonfirstLocalActivityExecutionAttempts
//   - timer started: 1 (implicit timers too: `condition(fn, timeout)` in TypeScript)
//   - signal: 1 per WorkflowExecutionSignaled (an external signal is shown in the signaled history only)
//   - update accepted: 1 (a rejected update is billed too but is never written to history)
//   - search attribute upsert: 1 per command (TemporalChangeVersion alone, i.e. patching, is exempt)
//   - workflow execution options updated, workflow reset, Nexus operation scheduled or cancel requested: 1
//   - queries and activity heartbeats are billed but are not in history: the caller passes their counts
// Replays are never billed (they happen in the worker).
//
// Prices: Temporal Cloud, "Temporal Cloud pricing", https://docs.temporal.io/cloud/pricing (source:
// temporalio/documentation docs/evaluate/cloud/pricing.mdx), pay-as-you-go Action pricing: $50 per million
// for the first 5M actions of a calendar month, $45 up to 10M, $40 up to 20M, $35 up to 50M, $30 up to 100M,
// $25 up to 200M, above 200M "contact sales" (priced here at $25, flagged). The Developer plan pays $50 per
// million at every volume. Not included: a plan's included actions, the support plan fee (10% of usage or at
// least $500/month on Business) and storage. ADR-0047 prices $25 per million flat.
import pMap from 'p-map';
import type { Client } from '@temporalio/client';
import protoPackage from '@temporalio/proto';
import type { temporal } from '@temporalio/proto';

const { EventType, WorkflowTaskFailedCause } = protoPackage.temporal.api.enums.v1;
/** A workflow task failed with this cause is a workflow reset: one action. */
const RESET_WORKFLOW: number = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW;

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** ADR-0047's arithmetic: 7 activities per order, $25 per million actions, 15,000 orders per hour. */
export const ADR_ACTIONS_PER_ORDER = 7;
export const ADR_USD_PER_MILLION = 25;
export const ADR_ORDERS_PER_HOUR = 15_000;
/** Hours in a month, as the ADR computes it (105,000 actions/h × 730 h ≈ 76.6 M). */
export const HOURS_PER_MONTH = 730;

/** Temporal Cloud pay-as-you-go tiers (Business, Enterprise, Mission Critical), per calendar month. */
export const CLOUD_TIERS: readonly { readonly upToActions: number; readonly usdPerMillion: number }[] = [
  { upToActions: 5e6, usdPerMillion: 50 },
  { upToActions: 10e6, usdPerMillion: 45 },
  { upToActions: 20e6, usdPerMillion: 40 },
  { upToActions: 50e6, usdPerMillion: 35 },
  { upToActions: 100e6, usdPerMillion: 30 },
  { upToActions: 200e6, usdPerMillion: 25 },
];
/** The Developer plan: one price at every volume. */
export const CLOUD_DEVELOPER_USD_PER_MILLION = 50;

/** Billable actions by kind; `total` is what Temporal Cloud would bill. */
export interface ActionCount {
  /** Histories counted. */
  readonly workflows: number;
  /** Of them, still running when fetched (their later actions are not counted). */
  readonly open: number;
  readonly workflowStarts: number;
  /** Actions of StartChildWorkflowExecutionInitiated (2 each). */
  readonly childWorkflowStarts: number;
  readonly activitiesScheduled: number;
  readonly activityRetries: number;
  /** Workflow tasks that recorded markers (local activities): 1 each, however many markers. */
  readonly markerTasks: number;
  readonly localActivityRetries: number;
  readonly timers: number;
  readonly signals: number;
  readonly updates: number;
  readonly searchAttributeUpserts: number;
  /** Workflow options updates, resets and Nexus operations. */
  readonly other: number;
  /** Not in history: passed in. */
  readonly queries: number;
  readonly rejectedUpdates: number;
  readonly heartbeats: number;
  readonly total: number;
}

/** Billed actions that no history shows. */
export interface ActionsNotInHistory {
  /** Queries answered by a worker (order-api's in-flight gauges query every running order per scrape). */
  readonly queries?: number;
  readonly rejectedUpdates?: number;
  /** Activity heartbeats that reached the server (orderflow's activities do not heartbeat). */
  readonly heartbeats?: number;
}

const CLOSED = new Set([
  'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT',
  'EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
]);

/** The event type's name (`EVENT_TYPE_…`), whether the history was decoded (a number) or read as JSON. */
function typeName(event: HistoryEvent): string {
  const t = event.eventType as unknown;
  if (typeof t === 'number') return EventType[t] ?? String(t);
  return typeof t === 'string' ? t : 'EVENT_TYPE_UNSPECIFIED';
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Counts the billable actions in workflow histories (see the rules at the top of this file). */
export function countBillableActions(
  histories: Iterable<History>,
  notInHistory: ActionsNotInHistory = {},
): ActionCount {
  const c = {
    workflows: 0,
    open: 0,
    workflowStarts: 0,
    childWorkflowStarts: 0,
    activitiesScheduled: 0,
    activityRetries: 0,
    markerTasks: 0,
    localActivityRetries: 0,
    timers: 0,
    signals: 0,
    updates: 0,
    searchAttributeUpserts: 0,
    other: 0,
  };
  for (const history of histories) {
    const events = history.events ?? [];
    c.workflows++;
    const last = events.at(-1);
    if (!last || !CLOSED.has(typeName(last))) c.open++;
    const markerTasks = new Set<string>();
    for (const event of events) {
      switch (typeName(event)) {
        case 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED':
          // A child's start is the second action of its parent's StartChildWorkflowExecutionInitiated.
          if (!event.workflowExecutionStartedEventAttributes?.parentWorkflowExecution) c.workflowStarts++;
          break;
        case 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED':
          c.childWorkflowStarts += 2;
          break;
        case 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED':
          c.activitiesScheduled++;
          break;
        case 'EVENT_TYPE_ACTIVITY_TASK_STARTED':
          c.activityRetries += Math.max(0, num(event.activityTaskStartedEventAttributes?.attempt) - 1);
          break;
        case 'EVENT_TYPE_MARKER_RECORDED':
          markerTasks.add(String(num(event.markerRecordedEventAttributes?.workflowTaskCompletedEventId)));
          break;
        case 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED':
          c.localActivityRetries += num(
            event.workflowTaskCompletedEventAttributes?.meteringMetadata
              ?.nonfirstLocalActivityExecutionAttempts,
          );
          break;
        case 'EVENT_TYPE_TIMER_STARTED':
          c.timers++;
          break;
        case 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED':
          c.signals++;
          break;
        case 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED':
          c.updates++;
          break;
        case 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES': {
          const fields = Object.keys(
            event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
          );
          if (!(fields.length === 1 && fields[0] === 'TemporalChangeVersion')) c.searchAttributeUpserts++;
          break;
        }
        case 'EVENT_TYPE_WORKFLOW_TASK_FAILED':
          if (num(event.workflowTaskFailedEventAttributes?.cause) === RESET_WORKFLOW) c.other++;
          break;
        case 'EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED':
        case 'EVENT_TYPE_NEXUS_OPERATION_SCHEDULED':
        case 'EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED':
          c.other++;
          break;
        default:
          break;
      }
    }
    c.markerTasks += markerTasks.size;
  }
  const queries = notInHistory.queries ?? 0;
  const rejectedUpdates = notInHistory.rejectedUpdates ?? 0;
  const heartbeats = notInHistory.heartbeats ?? 0;
  const inHistory =
    c.workflowStarts +
    c.childWorkflowStarts +
    c.activitiesScheduled +
    c.activityRetries +
    c.markerTasks +
    c.localActivityRetries +
    c.timers +
    c.signals +
    c.updates +
    c.searchAttributeUpserts +
    c.other;
  return {
    ...c,
    queries,
    rejectedUpdates,
    heartbeats,
    total: inHistory + queries + rejectedUpdates + heartbeats,
  };
}

/** A month's action bill at Temporal Cloud's pay-as-you-go tiers (Business plan and above), in USD. */
export function cloudMonthlyUsd(monthlyActions: number): { usd: number; beyondPublishedTiers: boolean } {
  let usd = 0;
  let from = 0;
  for (const tier of CLOUD_TIERS) {
    const inTier = Math.max(0, Math.min(monthlyActions, tier.upToActions) - from);
    usd += (inTier / 1e6) * tier.usdPerMillion;
    from = tier.upToActions;
  }
  const last = CLOUD_TIERS.at(-1)!;
  const beyond = Math.max(0, monthlyActions - last.upToActions);
  // Above the last published tier Temporal quotes by hand; its last published price stands in.
  usd += (beyond / 1e6) * last.usdPerMillion;
  return { usd, beyondPublishedTiers: beyond > 0 };
}

export interface ActionPrice {
  readonly actions: number;
  /** ADR-0047's flat $25 per million. */
  readonly adrUsd: number;
  /** Temporal Cloud Developer plan, $50 per million at any volume. */
  readonly cloudDeveloperUsd: number;
  /**
   * Temporal Cloud pay-as-you-go (Business and above) at the tiers' average price for a month of
   * `monthlyActions` (the volume decides the tier: the same actions cost less in a busier month).
   */
  readonly cloudTieredUsd: number;
  readonly cloudTieredUsdPerMillion: number;
  readonly monthlyActions: number;
  readonly beyondPublishedTiers: boolean;
}

/**
 * Prices `actions`. The tiered price is the average per action of a month with `monthlyActions` (default:
 * the month these actions would make at the ADR's 15,000 orders/h, given `actionsPerOrder`; else `actions`).
 */
export function priceActions(
  actions: number,
  options: { monthlyActions?: number; actionsPerOrder?: number } = {},
): ActionPrice {
  const monthlyActions =
    options.monthlyActions ??
    (options.actionsPerOrder !== undefined
      ? options.actionsPerOrder * ADR_ORDERS_PER_HOUR * HOURS_PER_MONTH
      : actions);
  const month = cloudMonthlyUsd(monthlyActions);
  const perMillion = monthlyActions > 0 ? month.usd / (monthlyActions / 1e6) : CLOUD_TIERS[0]!.usdPerMillion;
  return {
    actions,
    adrUsd: (actions / 1e6) * ADR_USD_PER_MILLION,
    cloudDeveloperUsd: (actions / 1e6) * CLOUD_DEVELOPER_USD_PER_MILLION,
    cloudTieredUsd: (actions / 1e6) * perMillion,
    cloudTieredUsdPerMillion: perMillion,
    monthlyActions,
    beyondPublishedTiers: month.beyondPublishedTiers,
  };
}

/** The ADR's own arithmetic: 7 actions per order at $25 per million, and its month at 15,000 orders/h. */
export function adrArithmetic(): {
  actionsPerOrder: number;
  usdPerOrder: number;
  monthlyActions: number;
  monthlyUsd: number;
} {
  const monthlyActions = ADR_ACTIONS_PER_ORDER * ADR_ORDERS_PER_HOUR * HOURS_PER_MONTH;
  return {
    actionsPerOrder: ADR_ACTIONS_PER_ORDER,
    usdPerOrder: (ADR_ACTIONS_PER_ORDER / 1e6) * ADR_USD_PER_MILLION,
    monthlyActions,
    monthlyUsd: (monthlyActions / 1e6) * ADR_USD_PER_MILLION,
  };
}

/**
 * Fetches the histories of at most `limit` of the workflows, spread evenly over the list (a run's first
 * orders are not its typical ones), `concurrency` at a time. A workflow that cannot be fetched is skipped
 * and reported. Bounded on purpose: each fetch is load on the Temporal server being measured.
 */
export async function historiesOf(
  client: Client,
  workflowIds: readonly string[],
  limit = 50,
  concurrency = 4,
): Promise<{ histories: History[]; sampled: string[]; missing: string[] }> {
  const count = Math.min(limit, workflowIds.length);
  const step = count > 0 ? workflowIds.length / count : 1;
  const sampled = Array.from({ length: count }, (_, i) => workflowIds[Math.floor(i * step)]!);
  const histories: History[] = [];
  const missing: string[] = [];
  await pMap(
    sampled,
    async (id) => {
      try {
        histories.push(await client.workflow.getHandle(id).fetchHistory());
      } catch {
        missing.push(id);
      }
    },
    { concurrency },
  );
  return { histories, sampled, missing };
}

export interface CostPerOrder {
  /** Orders whose history was counted. */
  readonly orders: number;
  readonly missing: readonly string[];
  readonly actions: ActionCount;
  readonly actionsPerOrder: number;
  /** Per order: ADR price, Cloud Developer, Cloud tiered at the month the ADR's 15,000 orders/h make. */
  readonly perOrder: ActionPrice;
  /** The ADR's 7 actions per order, for comparison. */
  readonly adr: ReturnType<typeof adrArithmetic>;
}

/**
 * Billable actions and price per order of a run: counts a bounded sample of its workflows' histories.
 * `queriesPerOrder` adds the queries no history shows (e.g. order-api's in-flight gauges: one query per
 * running order per scrape), per order.
 */
export async function costPerOrder(
  client: Client,
  workflowIds: readonly string[],
  options: { limit?: number; queriesPerOrder?: number } = {},
): Promise<CostPerOrder> {
  const { histories, missing } = await historiesOf(client, workflowIds, options.limit ?? 50);
  const orders = histories.length;
  const actions = countBillableActions(histories, {
    queries: Math.round((options.queriesPerOrder ?? 0) * orders),
  });
  const actionsPerOrder = orders > 0 ? actions.total / orders : 0;
  return {
    orders,
    missing,
    actions,
    actionsPerOrder,
    perOrder: priceActions(actionsPerOrder, { actionsPerOrder }),
    adr: adrArithmetic(),
  };
}
