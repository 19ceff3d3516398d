// Billable Temporal actions counted on the committed histories of workflows/order/histories (recorded by
// workflows/order/workflow.test.ts), and their price: no server needed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { adrArithmetic, cloudMonthlyUsd, countBillableActions, historiesOf, priceActions } from './cost.ts';

const dir = join(import.meta.dirname, '..', '..', 'workflows', 'order', 'histories');
const history = (name: string): temporal.api.history.v1.IHistory =>
  temporal.api.history.v1.History.decode(readFileSync(join(dir, `${name}.history.pb`)));
const { EventType } = temporal.api.enums.v1;

describe('countBillableActions', () => {
  it('when a completed order is counted, then it is its start and its 7 activities: 8 actions', () => {
    const count = countBillableActions([history('happy-path')]);
    expect(count).toMatchObject({
      workflows: 1,
      open: 0,
      workflowStarts: 1,
      activitiesScheduled: 7,
      activityRetries: 0,
      timers: 0,
      updates: 0,
      total: 8,
    });
  });

  it('when an order compensated after CreateShipment is counted, then 6 steps, 3 compensations and the failure record add up to 11', () => {
    // ValidateOrder, CalculatePricing, RunFraudCheck, ReserveInventory, ProcessPayment, CreateShipment (declined),
    // CancelShipment, RefundPayment, ReleaseInventoryReservation, RecordOrderFailed.
    const count = countBillableActions([history('declined-createShipment')]);
    expect(count).toMatchObject({
      workflowStarts: 1,
      activitiesScheduled: 10,
      activityRetries: 0,
      total: 11,
    });
  });

  it('when activities were retried, then every attempt after the first is one more action', () => {
    // ProcessPayment's 2 attempts exhausted: one retry, then the refund, the release and the failure record.
    expect(countBillableActions([history('payment-retries-exhausted')])).toMatchObject({
      activitiesScheduled: 8,
      activityRetries: 1,
      total: 10,
    });
    // CreateShipment's 3 attempts exhausted: two retries.
    expect(countBillableActions([history('shipment-retries-exhausted')])).toMatchObject({
      activitiesScheduled: 10,
      activityRetries: 2,
      total: 13,
    });
  });

  it('when a reviewed order is counted, then the review timer and the decision update are actions too', () => {
    expect(countBillableActions([history('review-approve')])).toMatchObject({
      activitiesScheduled: 8,
      timers: 1,
      updates: 1,
      total: 11,
    });
  });

  it('when several histories and the actions no history shows are counted, then they add up', () => {
    const count = countBillableActions([history('happy-path'), history('declined-createShipment')], {
      queries: 5,
      rejectedUpdates: 1,
    });
    expect(count).toMatchObject({ workflows: 2, queries: 5, rejectedUpdates: 1, total: 8 + 11 + 6 });
  });

  it('when markers, child workflows, signals and a patch are in a history, then they follow the published rules', () => {
    const e = (eventType: number, attrs: object = {}): temporal.api.history.v1.IHistoryEvent => ({
      eventType,
      ...attrs,
    });
    const parent = {
      events: [
        e(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, { workflowExecutionStartedEventAttributes: {} }),
        // Two local activities in workflow task 4, one in task 8: two actions, plus 3 local retries.
        e(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, {
          workflowTaskCompletedEventAttributes: {
            meteringMetadata: { nonfirstLocalActivityExecutionAttempts: 3 },
          },
        }),
        e(EventType.EVENT_TYPE_MARKER_RECORDED, {
          markerRecordedEventAttributes: { workflowTaskCompletedEventId: 4 },
        }),
        e(EventType.EVENT_TYPE_MARKER_RECORDED, {
          markerRecordedEventAttributes: { workflowTaskCompletedEventId: 4 },
        }),
        e(EventType.EVENT_TYPE_MARKER_RECORDED, {
          markerRecordedEventAttributes: { workflowTaskCompletedEventId: 8 },
        }),
        e(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED),
        e(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
        // A reset: one action; an ordinary workflow task failure: none.
        e(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, {
          workflowTaskFailedEventAttributes: {
            cause: temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW,
          },
        }),
        e(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, {
          workflowTaskFailedEventAttributes: {
            cause: temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
          },
        }),
        // patched(): the TemporalChangeVersion upsert is exempt; any other upsert is one action.
        e(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, {
          upsertWorkflowSearchAttributesEventAttributes: {
            searchAttributes: { indexedFields: { TemporalChangeVersion: {} } },
          },
        }),
        e(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, {
          upsertWorkflowSearchAttributesEventAttributes: {
            searchAttributes: { indexedFields: { OrderStatus: {}, Region: {} } },
          },
        }),
      ],
    };
    // The child's own start is the second action of the parent's StartChildWorkflowExecutionInitiated.
    const child = {
      events: [
        e(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, {
          workflowExecutionStartedEventAttributes: { parentWorkflowExecution: { workflowId: 'parent' } },
        }),
        e(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED),
      ],
    };
    expect(countBillableActions([parent, child])).toMatchObject({
      workflows: 2,
      open: 1, // the parent has no close event
      workflowStarts: 1,
      childWorkflowStarts: 2,
      markerTasks: 2,
      localActivityRetries: 3,
      signals: 1,
      searchAttributeUpserts: 1,
      other: 1,
      total: 1 + 2 + 2 + 3 + 1 + 1 + 1,
    });
  });
});

describe('priceActions', () => {
  it('when the ADR arithmetic is redone, then 7 actions per order at $25 per million is $1,916 a month at 15,000 orders/h', () => {
    const adr = adrArithmetic();
    expect(adr.monthlyActions).toBe(76_650_000);
    expect(adr.monthlyUsd).toBeCloseTo(1916.25, 2);
    expect(adr.usdPerOrder).toBeCloseTo(0.000175, 9);
  });

  it('when a month is billed at the published tiers, then each tier prices its own slice', () => {
    // Temporal's own example: 11.25M actions on the Business plan = $525.
    expect(cloudMonthlyUsd(11.25e6)).toEqual({ usd: 525, beyondPublishedTiers: false });
    expect(cloudMonthlyUsd(200e6).usd).toBe(250 + 225 + 400 + 1050 + 1500 + 2500);
    expect(cloudMonthlyUsd(250e6).beyondPublishedTiers).toBe(true);
  });

  it('when the actions of one order are priced, then the ADR, Developer and tiered prices sit side by side', () => {
    const price = priceActions(8, { actionsPerOrder: 8 });
    expect(price.adrUsd).toBeCloseTo(0.0002, 10);
    expect(price.cloudDeveloperUsd).toBeCloseTo(0.0004, 10);
    // 8 × 15,000 × 730 = 87.6M actions a month: 5M at $50, 5M at $45, 10M at $40, 30M at $35, 37.6M at $30.
    expect(price.monthlyActions).toBe(87_600_000);
    expect(price.cloudTieredUsdPerMillion).toBeCloseTo((250 + 225 + 400 + 1050 + 1128) / 87.6, 6);
    expect(price.cloudTieredUsd).toBeCloseTo((8 / 1e6) * price.cloudTieredUsdPerMillion, 12);
  });
});

describe('historiesOf', () => {
  it('when more workflows than the limit are asked for, then an even sample is fetched and failures are reported', async () => {
    const fetched: string[] = [];
    const client = {
      workflow: {
        getHandle: (id: string) => ({
          fetchHistory: () => {
            fetched.push(id);
            return id === 'ord-4'
              ? Promise.reject(new Error('not found'))
              : Promise.resolve(history('happy-path'));
          },
        }),
      },
    } as unknown as Parameters<typeof historiesOf>[0];
    const ids = Array.from({ length: 10 }, (_, i) => `ord-${i}`);
    const result = await historiesOf(client, ids, 5, 2);
    expect(result.sampled).toEqual(['ord-0', 'ord-2', 'ord-4', 'ord-6', 'ord-8']);
    expect(fetched.sort()).toEqual(result.sampled);
    expect(result.missing).toEqual(['ord-4']);
    expect(result.histories).toHaveLength(4);
  });
});
