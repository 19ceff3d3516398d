// ProcessOrderWorkflow on a real Temporal dev server (the cached CLI, started by the SDK's test
// environment), with scripted activities. Each run's history is saved for the replay test when
// RECORD_HISTORIES=1 (`npm run histories:record`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { tools } from '../../stack/tools.ts';
import { fakeWorld, type FakeWorld } from '../../test/support/fake-activities.ts';
import { createRegistry, createWorkflowMetrics } from '../../observability/metrics/definitions.ts';
import { orderMetricsSinks } from '../workers/workflow-metrics.ts';
import {
  orderStateQuery,
  orderStatusAttribute,
  orderStatusSinceAttribute,
  reviewDecisionUpdate,
  TASK_QUEUES,
} from '../../contracts/order/definitions.ts';
import type { ProcessOrderWorkflow } from './workflow.ts';
import type { OrderRequest, OrderState } from '../../contracts/order/types.ts';
import { temporalTracingPlugin } from '../../observability/tracing/temporal.ts';

Runtime.install({ logger: new DefaultLogger('WARN') });

const request: OrderRequest = {
  customerId: 'cust-alice',
  items: [{ sku: 'sku-widget', quantity: 2 }],
  shippingAddress: { line1: '1 Main St', city: 'San Francisco', postalCode: '94105', country: 'US' },
  paymentMethod: 'pm_card_visa',
};

// The workers' OpenTelemetry plugin, as in production: recorded histories carry its headers.
const tracing = temporalTracingPlugin();
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let counter = 0;
/**
 * The workflow version the recordings are of: `npm run histories:record` writes `<case>-v2.history.pb`. The
 * unsuffixed files are v1 (before the local read steps and the status search attributes) and stay: replaying
 * them is what proves the patch keeps running orders deterministic. A patched change gets the next suffix.
 */
const HISTORY_VERSION = 'v2';

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: tools.temporal.bins.temporal },
      extraArgs: ['--log-level', 'error'],
      searchAttributes: [orderStatusAttribute, orderStatusSinceAttribute],
    },
  });
  workflowBundle = await bundleWorkflowCode({
    workflowsPath: join(import.meta.dirname, '..', 'index.ts'),
    logger: new DefaultLogger('WARN'),
    plugins: [tracing],
  });
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

interface Run {
  readonly world: FakeWorld;
  readonly state: OrderState;
  readonly error?: unknown;
}

/** Runs one order with the three workers (orders, fraud, payments) serving `world`'s activities. */
async function runOrder(
  name: string,
  world: FakeWorld,
  options: {
    reviewTimeoutSeconds?: number;
    during?: (handle: WorkflowHandle<typeof ProcessOrderWorkflow>) => Promise<void>;
  } = {},
): Promise<Run> {
  const orderId = `ord-test-${name}-${Date.now()}-${counter++}`;
  const workers = await Promise.all([
    Worker.create({
      connection: env.nativeConnection,
      plugins: [tracing],
      taskQueue: TASK_QUEUES.orders,
      workflowBundle,
      activities: world.order,
      sinks: orderMetricsSinks(createWorkflowMetrics(createRegistry())),
    }),
    Worker.create({
      connection: env.nativeConnection,
      plugins: [tracing],
      taskQueue: TASK_QUEUES.fraud,
      activities: world.fraud,
    }),
    Worker.create({
      connection: env.nativeConnection,
      plugins: [tracing],
      taskQueue: TASK_QUEUES.payments,
      activities: world.payment,
    }),
  ]);
  const handle = await env.client.workflow.start<typeof ProcessOrderWorkflow>('ProcessOrderWorkflow', {
    taskQueue: TASK_QUEUES.orders,
    workflowId: orderId,
    args: [{ orderId, request, reviewTimeoutSeconds: options.reviewTimeoutSeconds }],
  });
  // Everything that needs a worker (the result, the final query) happens while the workers run.
  const settled = (async () => {
    await options.during?.(handle);
    const error = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    return { error, state: await handle.query(orderStateQuery) };
  })();
  await Promise.all(workers.map((w) => w.runUntil(settled)));
  const { error, state } = await settled;
  if (process.env.RECORD_HISTORIES === '1') {
    const dir = join(import.meta.dirname, 'histories');
    mkdirSync(dir, { recursive: true });
    // Binary protobuf: the SDK's JSON helper trips over two protobufjs copies in the dependency tree.
    const history = temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish();
    writeFileSync(join(dir, `${name}-${HISTORY_VERSION}.history.pb`), history);
  }
  return { world, state, error };
}

const failureTypeOf = (err: unknown): string | undefined => {
  if (!(err instanceof WorkflowFailedError)) return undefined;
  let cause: unknown = err.cause;
  while (
    cause &&
    typeof cause === 'object' &&
    'cause' in cause &&
    cause.cause &&
    !('type' in cause && cause.type)
  )
    cause = cause.cause;
  return (cause as { type?: string } | undefined)?.type;
};

async function waitForStatus(handle: WorkflowHandle, status: OrderState['status']): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await handle.query(orderStateQuery)).status === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`workflow never reached ${status}`);
}

describe('ProcessOrderWorkflow', () => {
  it('when every step succeeds, then the steps run in ADR order and the order completes without compensation', async () => {
    const { world, state, error } = await runOrder('happy-path', fakeWorld());
    expect(error).toBeUndefined();
    expect(world.calls).toEqual([
      'validateOrder',
      'calculatePricing',
      'runFraudCheck',
      'reserveInventory',
      'processPayment',
      'createShipment',
      'finalizeOrder',
    ]);
    expect(state.status).toBe('completed');
    expect(state.shipment?.trackingNumber).toBe('OFX000000000001');
    expect(state.compensations).toEqual([]);
  });

  it.each([
    ['validateOrder', []],
    ['calculatePricing', []],
    ['reserveInventory', ['releaseInventoryReservation']],
    ['processPayment', ['refundPayment', 'releaseInventoryReservation']],
    ['createShipment', ['cancelShipment', 'refundPayment', 'releaseInventoryReservation']],
  ] as const)(
    'when %s declines, then exactly %j run in reverse order and the failure is recorded',
    async (step, compensations) => {
      const { world, state, error } = await runOrder(`declined-${step}`, fakeWorld({ [step]: 'decline' }));
      const stepIndex = world.calls.indexOf(step);
      expect(world.calls.slice(stepIndex + 1)).toEqual([...compensations, 'recordOrderFailed']);
      expect(state.status).toBe('failed');
      expect(state.compensations.map((c) => c.outcome)).toEqual(compensations.map(() => 'completed'));
      expect(world.failedRecords).toEqual([
        expect.objectContaining({ status: 'failed', type: 'TestDecline' }),
      ]);
      expect(failureTypeOf(error)).toBe('TestDecline');
      expect(world.calls).not.toContain('finalizeOrder');
    },
  );

  it('when the fraud check rejects, then nothing is reserved or charged and the order fails as FraudRejected', async () => {
    const { world, state, error } = await runOrder('fraud-reject', fakeWorld({}, 'reject'));
    expect(world.calls).toEqual(['validateOrder', 'calculatePricing', 'runFraudCheck', 'recordOrderFailed']);
    expect(state.failure).toMatchObject({ step: 'RunFraudCheck', type: 'FraudRejected' });
    expect(failureTypeOf(error)).toBe('FraudRejected');
  });

  it('when fraud flags the order and a reviewer approves, then it waits in awaiting_review and then completes', async () => {
    const { world, state, error } = await runOrder('review-approve', fakeWorld({}, 'review'), {
      during: async (handle) => {
        await waitForStatus(handle, 'awaiting_review');
        // Visibility has the status too (order-api's in-flight gauges list by it, no query).
        await expect
          .poll(async () => (await handle.describe()).typedSearchAttributes.get(orderStatusAttribute), {
            timeout: 10_000,
          })
          .toBe('awaiting_review');
        const since = (await handle.describe()).typedSearchAttributes.get(orderStatusSinceAttribute);
        expect(since).toBeInstanceOf(Date);
        const next = await handle.executeUpdate(reviewDecisionUpdate, {
          args: [{ decision: 'approve', reviewer: 'ops@orderflow' }],
        });
        // The handler answers once the order has left awaiting_review: it went on to the next step.
        expect(next).toBe('reserving_inventory');
      },
    });
    expect(error).toBeUndefined();
    expect(state.status).toBe('completed');
    expect(state.review).toEqual({ decision: 'approve', reviewer: 'ops@orderflow' });
    expect(world.calls).toContain('recordReviewDecision');
    expect(state.timeline.filter((t) => t.step === 'HumanReview').map((t) => t.status)).toEqual([
      'started',
      'completed',
    ]);
  });

  it('when fraud flags the order and a reviewer rejects, then it fails without any charge', async () => {
    const { world, state, error } = await runOrder('review-reject', fakeWorld({}, 'review'), {
      during: async (handle) => {
        await waitForStatus(handle, 'awaiting_review');
        await handle.executeUpdate(reviewDecisionUpdate, {
          args: [{ decision: 'reject', reviewer: 'ops@orderflow' }],
        });
      },
    });
    expect(world.calls).not.toContain('processPayment');
    expect(world.calls).not.toContain('reserveInventory');
    expect(state.status).toBe('failed');
    expect(failureTypeOf(error)).toBe('ReviewRejected');
  });

  it('when a flagged order gets no decision before the review deadline, then it is rejected without any charge', async () => {
    const { world, state, error } = await runOrder('review-deadline', fakeWorld({}, 'review'), {
      reviewTimeoutSeconds: 2,
    });
    expect(world.calls).not.toContain('processPayment');
    expect(state.failure).toMatchObject({ step: 'HumanReview', type: 'ReviewDeadlineExceeded' });
    expect(failureTypeOf(error)).toBe('ReviewDeadlineExceeded');
  });

  it('when a review decision arrives for an order not awaiting review, then the update is rejected', async () => {
    // Held in CreateShipment, so the decision reaches the running workflow's validator (a finished
    // workflow would be refused by the server instead, for another reason).
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    let rejection: unknown;
    const { world, state, error } = await runOrder(
      'review-not-awaiting',
      fakeWorld({ createShipment: { blockUntil: blocked } }),
      {
        during: async (handle) => {
          await waitForStatus(handle, 'creating_shipment');
          rejection = await handle
            .executeUpdate(reviewDecisionUpdate, { args: [{ decision: 'approve', reviewer: 'ops' }] })
            .then(
              (result) => ({ accepted: result }),
              (e: unknown) => e,
            );
          release();
        },
      },
    );
    expect(rejection).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((rejection as WorkflowUpdateFailedError).cause?.message).toMatch(
      /^order ord-test-review-not-awaiting-\S+ is creating_shipment, not awaiting_review$/,
    );
    // Rejected by the validator: nothing recorded, and the order went on as before.
    expect(world.calls).not.toContain('recordReviewDecision');
    expect(state.review).toBeUndefined();
    expect(error).toBeUndefined();
    expect(state.status).toBe('completed');
  });

  it('when a shipment keeps failing transiently, then it is attempted 3 times before compensation; a decline is attempted once', async () => {
    const transient = await runOrder(
      'shipment-retries-exhausted',
      fakeWorld({ createShipment: 'transient' }),
    );
    expect(transient.world.attempts.get('createShipment')).toBe(3);
    expect(transient.state.compensations.map((c) => c.step)).toEqual([
      'CancelShipment',
      'RefundPayment',
      'ReleaseInventoryReservation',
    ]);

    const declined = await runOrder('shipment-declined-once', fakeWorld({ createShipment: 'decline' }));
    expect(declined.world.attempts.get('createShipment')).toBe(1);
  });

  it('when a payment fails transiently 3 times, then it is retried past the old 2-attempt cap and the order completes (time-bounded budget)', async () => {
    const base = fakeWorld();
    const world: FakeWorld = {
      ...base,
      payment: {
        ...base.payment,
        processPayment: async (req) => {
          if (Context.current().info.attempt <= 3) {
            base.attempts.set('processPayment', Context.current().info.attempt);
            throw ApplicationFailure.retryable('gateway 500', 'DownstreamUnavailable');
          }
          return base.payment.processPayment(req);
        },
      },
    };
    const { state } = await runOrder('payment-retried-past-two-attempts', world);
    expect(world.attempts.get('processPayment')).toBe(4);
    expect(state.status).toBe('completed');
    expect(state.compensations).toEqual([]);
  });

  it('when a compensation finally fails, then the order is recorded compensation_failed and the other compensations still run', async () => {
    const { world, state } = await runOrder(
      'refund-fails',
      fakeWorld({ createShipment: 'decline', refundPayment: 'decline' }),
    );
    expect(state.status).toBe('compensation_failed');
    expect(state.compensations).toEqual([
      expect.objectContaining({ step: 'CancelShipment', outcome: 'completed' }),
      expect.objectContaining({ step: 'RefundPayment', outcome: 'failed' }),
      expect.objectContaining({ step: 'ReleaseInventoryReservation', outcome: 'completed' }),
    ]);
    expect(world.failedRecords[0]?.status).toBe('compensation_failed');
  });

  it('when the workflow is cancelled while paying, then the registered compensations run and the order is recorded failed', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const { world, state, error } = await runOrder(
      'cancelled-during-payment',
      fakeWorld({ processPayment: { blockUntil: blocked } }),
      {
        during: async (handle) => {
          await waitForStatus(handle, 'processing_payment');
          await handle.cancel();
          release();
        },
      },
    );
    expect(world.calls).toEqual(
      expect.arrayContaining(['refundPayment', 'releaseInventoryReservation', 'recordOrderFailed']),
    );
    expect(state.status).toBe('failed');
    expect(state.failure?.type).toBe('OrderCancelled');
    expect(String((error as Error | undefined)?.cause ?? error)).toMatch(/cancel/i);
  });

  it('when the workflow is cancelled during compensation, then every compensation still completes', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const { world, state } = await runOrder(
      'cancelled-during-compensation',
      fakeWorld({ createShipment: 'decline', refundPayment: { blockUntil: blocked } }),
      {
        during: async (handle) => {
          await waitForStatus(handle, 'compensating');
          await handle.cancel();
          release();
        },
      },
    );
    expect(world.calls.slice(-4)).toEqual([
      'cancelShipment',
      'refundPayment',
      'releaseInventoryReservation',
      'recordOrderFailed',
    ]);
    expect(state.compensations.map((c) => [c.step, c.outcome])).toEqual([
      ['CancelShipment', 'completed'],
      ['RefundPayment', 'completed'],
      ['ReleaseInventoryReservation', 'completed'],
    ]);
    expect(state.status).toBe('failed');
  });
});
