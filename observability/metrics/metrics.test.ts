// The pipeline's metric definitions in-process: names and pre-initialised labels (the alert contract),
// the activity-name mapping, the sink handler, the workflow's sink calls over the committed histories,
// and the /metrics server with its file_sd target.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { tempDir } from '../../test/support/services.ts';
import type { WorkflowFinished } from '../../contracts/order/metrics-sink.ts';
import {
  ACTIVITY_STEPS,
  activityStepName,
  createActivityMetrics,
  createRegistry,
  createWorkflowMetrics,
} from './definitions.ts';
import { failureKindOf, recordWorkflowFinished } from '../../workflows/workers/workflow-metrics.ts';
import { serveMetrics } from './server.ts';

Runtime.install({ logger: new DefaultLogger('WARN') });

describe('activity names', () => {
  it('when an activity function name is mapped, then it is the ADR step name', () => {
    expect(activityStepName('processPayment')).toBe('ProcessPayment');
    expect(activityStepName('releaseInventoryReservation')).toBe('ReleaseInventoryReservation');
    expect(activityStepName('recordOrderFailed')).toBe('RecordOrderFailed');
    expect(activityStepName('runFraudCheck')).toBe('RunFraudCheck');
  });

  it('when the activity metrics are created, then every step is pre-initialised to 0', async () => {
    const registry = createRegistry();
    createActivityMetrics(registry);
    const text = await registry.metrics();
    for (const step of ACTIVITY_STEPS)
      expect(text).toContain(`activity_duration_seconds_count{activity="${step}"} 0`);
  });
});

describe('workflow metrics', () => {
  it('when created, then every contract label value is exported as 0, in OpenMetrics', async () => {
    const registry = createRegistry();
    createWorkflowMetrics(registry);
    expect(registry.contentType).toContain('application/openmetrics-text');
    const text = await registry.metrics();
    const statusSeries = text.split('\n').filter((l) => l.startsWith('order_workflow_status_total{'));
    expect(statusSeries.sort()).toEqual(
      [
        'order_workflow_status_total{status="completed",kind="none"} 0',
        'order_workflow_status_total{status="failed",kind="business"} 0',
        'order_workflow_status_total{status="failed",kind="technical"} 0',
        'order_workflow_status_total{status="compensated",kind="business"} 0',
        'order_workflow_status_total{status="compensated",kind="technical"} 0',
        'order_workflow_status_total{status="timed_out",kind="technical"} 0',
      ].sort(),
    );
    for (const status of ['completed', 'failed', 'compensated', 'timed_out'])
      expect(text).toContain(`order_workflow_duration_seconds_count{status="${status}"} 0`);
    for (const step of ['ReserveInventory', 'ProcessPayment', 'CreateShipment', 'FinalizeOrder'])
      expect(text).toContain(`compensation_triggered_total{step="${step}"} 0`);
    for (const c of ['CancelShipment', 'RefundPayment', 'ReleaseInventoryReservation'])
      expect(text).toContain(`orderflow_compensation_failures_total{compensation="${c}"} 0`);
  });

  it('when a compensated order with a failed refund is recorded, then status, duration, trigger and failure count', async () => {
    const metrics = createWorkflowMetrics(createRegistry());
    recordWorkflowFinished(metrics, {
      status: 'compensated',
      durationSeconds: 3,
      failedStep: 'CreateShipment',
      failureType: 'DownstreamUnavailable',
      failedCompensations: ['RefundPayment'],
    });
    recordWorkflowFinished(metrics, { status: 'completed', durationSeconds: 1.5, failedCompensations: [] });
    const value = async (m: { get(): Promise<{ values: { labels: object; value: number }[] }> }, l: object) =>
      (await m.get()).values.find((v) => JSON.stringify(v.labels) === JSON.stringify(l))?.value;
    expect(await value(metrics.status, { status: 'compensated', kind: 'technical' })).toBe(1);
    expect(await value(metrics.status, { status: 'compensated', kind: 'business' })).toBe(0);
    expect(await value(metrics.status, { status: 'completed', kind: 'none' })).toBe(1);
    expect(await value(metrics.status, { status: 'failed', kind: 'technical' })).toBe(0);
    expect(await value(metrics.compensationTriggered, { step: 'CreateShipment' })).toBe(1);
    expect(await value(metrics.compensationFailures, { compensation: 'RefundPayment' })).toBe(1);
    const sum = (await metrics.duration.get()).values.find(
      (v) => v.metricName === 'order_workflow_duration_seconds_sum' && v.labels.status === 'compensated',
    );
    expect(sum?.value).toBe(3);
  });

  it('when failures are recorded, then a business decline and a technical failure get their own kind', async () => {
    const metrics = createWorkflowMetrics(createRegistry());
    const failed = { durationSeconds: 1, failedCompensations: [] } as const;
    recordWorkflowFinished(metrics, { ...failed, status: 'failed', failureType: 'CustomerNotEligible' });
    recordWorkflowFinished(metrics, { ...failed, status: 'failed', failureType: 'FraudRejected' });
    recordWorkflowFinished(metrics, { ...failed, status: 'failed', failureType: 'DownstreamUnavailable' });
    recordWorkflowFinished(metrics, { ...failed, status: 'compensated', failureType: 'PaymentDeclined' });
    recordWorkflowFinished(metrics, { ...failed, status: 'compensated', failureType: 'OrderCancelled' });
    recordWorkflowFinished(metrics, { ...failed, status: 'failed' }); // no type: counted as technical
    const counts = Object.fromEntries(
      (await metrics.status.get()).values.map((v) => [`${v.labels.status}/${v.labels.kind}`, v.value]),
    );
    expect(counts).toEqual({
      'completed/none': 0,
      'failed/business': 2,
      'failed/technical': 2,
      'compensated/business': 1,
      'compensated/technical': 1,
      'timed_out/technical': 0,
    });
    expect(failureKindOf({ status: 'completed', failureType: 'PaymentDeclined' })).toBe('none');
    expect(failureKindOf({ status: 'failed', failureType: 'SomethingNew' })).toBe('technical');
  });
});

describe('ProcessOrderWorkflow sink calls', () => {
  it('when the committed histories are replayed with a sink called on replay, then each reports how it ended', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'workflows', 'order', 'histories');
    const histories = readdirSync(dir)
      .filter((f) => f.endsWith('.history.pb'))
      .map((file) => ({
        workflowId: file.replace('.history.pb', ''),
        history: temporal.api.history.v1.History.decode(readFileSync(join(dir, file))),
      }));
    const events = new Map<string, WorkflowFinished>();
    for await (const result of Worker.runReplayHistories(
      {
        workflowsPath: join(import.meta.dirname, '..', '..', 'workflows', 'index.ts'),
        sinks: {
          orderMetrics: {
            workflowFinished: {
              fn: (info, event: WorkflowFinished) => void events.set(info.workflowId, event),
              callDuringReplay: true, // only here: to see what the workflow reports
            },
          },
        },
      },
      histories,
    )) {
      expect(result.error).toBeUndefined();
    }
    expect(events.get('happy-path')).toMatchObject({ status: 'completed', failedCompensations: [] });
    expect(events.get('happy-path')?.failedStep).toBeUndefined();
    expect(events.get('happy-path')?.failureType).toBeUndefined();
    expect(events.get('declined-validateOrder')).toMatchObject({
      status: 'failed',
      failedStep: 'ValidateOrder',
    });
    expect(events.get('fraud-reject')).toMatchObject({
      status: 'failed',
      failedStep: 'RunFraudCheck',
      failureType: 'FraudRejected',
    });
    expect(events.get('declined-createShipment')).toMatchObject({
      status: 'compensated',
      failedStep: 'CreateShipment',
      failedCompensations: [],
    });
    // Every failed order carries its type, so the worker can tell declines from technical failures.
    const kinds = Object.fromEntries([...events].map(([id, e]) => [id, failureKindOf(e)]));
    // The recorded histories' fake activities decline with the type TestDecline, which the catalogue does not
    // know: technical, like any unknown type. The workflow's own declines are business.
    expect(kinds).toMatchObject({
      'happy-path': 'none',
      'review-approve': 'none',
      'fraud-reject': 'business',
      'review-reject': 'business',
      'review-deadline': 'business',
      'declined-validateOrder': 'technical',
      'cancelled-during-payment': 'technical',
      'payment-retries-exhausted': 'technical',
      'shipment-retries-exhausted': 'technical',
    });
    expect(events.get('declined-validateOrder')?.failureType).toBe('TestDecline');
    expect(events.get('cancelled-during-payment')?.failureType).toBe('OrderCancelled');
    expect(events.get('review-deadline')?.failureType).toBe('ReviewDeadlineExceeded');
    expect(events.get('payment-retries-exhausted')?.failureType).toBe('DownstreamUnavailable');
    for (const [id, e] of events)
      if (e.status !== 'completed') expect(e.failureType, `${id}: failureType`).toBeTruthy();
    expect(events.get('refund-fails')).toMatchObject({
      status: 'compensated',
      failedCompensations: ['RefundPayment'],
    });
    for (const event of events.values()) expect(event.durationSeconds).toBeGreaterThanOrEqual(0);
  }, 120_000);
});

describe('serveMetrics', () => {
  it('when it listens, then /metrics answers OpenMetrics and the file_sd target exists until it closes', async () => {
    const dir = tempDir('metrics-server');
    try {
      const registry = createRegistry();
      createWorkflowMetrics(registry);
      const server = await serveMetrics({ registry, job: 'test-worker', port: 0, targetsDir: dir.path });
      const target = JSON.parse(readFileSync(server.targetFile!, 'utf8')) as unknown;
      expect(target).toEqual([{ targets: [`127.0.0.1:${server.port}`], labels: { job: 'test-worker' } }]);
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/openmetrics-text');
      const body = await res.text();
      expect(body).toContain('order_workflow_status_total{status="timed_out",kind="technical"} 0');
      expect(body.trimEnd().endsWith('# EOF')).toBe(true);
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
      await server.close();
      expect(existsSync(server.targetFile!)).toBe(false);
    } finally {
      dir.remove();
    }
  });
});
