// ADR-0047's Prometheus metrics end to end on the running stack (`npm start`): orders through order-api,
// then the real Prometheus (file_sd targets written by the processes) until the counters moved.
import { describe, expect, it } from 'vitest';
import { eventually, host, requireComponent, uniqueId, urls } from '../support/stack.ts';

const api = `http://${host}:${process.env.ORDER_API_PORT ?? 8080}`;
const address = { line1: '1 Main St', city: 'San Francisco', postalCode: '94105', country: 'US' };
const order = (over: Record<string, unknown> = {}) => ({
  customerId: 'cust-alice',
  items: [{ sku: 'sku-widget', quantity: 1 }],
  shippingAddress: address,
  paymentMethod: 'pm_card_visa',
  ...over,
});

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(promql: string): Promise<Sample[]> {
  const res = await fetch(`${urls.prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data: { result: Sample[] }; error?: string };
  if (body.status !== 'success') throw new Error(`${promql}: ${body.error}`);
  return body.data.result;
}

/** The summed value of a query (0 when it has no series). */
const value = async (promql: string): Promise<number> =>
  (await query(`sum(${promql})`)).reduce((s, r) => s + Number(r.value[1]), 0);

async function submit(body: unknown): Promise<string> {
  const res = await fetch(`${api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': uniqueId('metrics') },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { orderId: string }).orderId;
}

async function finished(orderId: string): Promise<string> {
  return eventually(
    async () => {
      const { status } = (await (await fetch(`${api}/orders/${orderId}`)).json()) as { status: string };
      return ['completed', 'failed', 'compensation_failed'].includes(status) ? status : undefined;
    },
    90_000,
    `order ${orderId} finished`,
  );
}

describe('pipeline metrics in Prometheus', () => {
  it('when every orderflow process is up, then Prometheus scrapes each job, workers on two instances', async () => {
    await requireComponent('prometheus', { kind: 'http', url: `${urls.prometheus}/-/ready` });
    const jobs = [
      'order-api',
      'order-worker',
      'fraud-worker',
      'payment-worker',
      'customer-service',
      'payment-gateway',
    ];
    await eventually(
      async () => {
        const up = await query('up');
        const upJobs = new Set(up.filter((s) => s.value[1] === '1').map((s) => s.metric.job));
        const missing = jobs.filter((j) => !upJobs.has(j));
        if (missing.length > 0) throw new Error(`not up: ${missing.join(', ')}`);
        for (const worker of ['order-worker', 'fraud-worker', 'payment-worker']) {
          const instances = up.filter((s) => s.metric.job === worker && s.value[1] === '1');
          if (instances.length < 2) throw new Error(`${worker}: /metrics and SDK metrics not both up`);
        }
        return true;
      },
      30_000,
      'every orderflow job up',
    );
  });

  it('when every ADR and contract metric is queried, then it exists with its labels pre-initialised', async () => {
    const expected: Record<string, { label?: string; values?: string[] }> = {
      order_workflow_status_total: {
        label: 'status',
        values: ['completed', 'failed', 'compensated', 'timed_out'],
      },
      order_workflow_duration_seconds_count: {
        label: 'status',
        values: ['completed', 'failed', 'compensated', 'timed_out'],
      },
      activity_duration_seconds_count: {
        label: 'activity',
        values: ['ValidateOrder', 'RunFraudCheck', 'ProcessPayment', 'RefundPayment', 'CreateShipment'],
      },
      compensation_triggered_total: {
        label: 'step',
        values: ['ReserveInventory', 'ProcessPayment', 'CreateShipment'],
      },
      orderflow_compensation_failures_total: {
        label: 'compensation',
        values: ['CancelShipment', 'RefundPayment', 'ReleaseInventoryReservation'],
      },
      orderflow_orders_in_status: { label: 'status', values: ['received', 'processing_payment'] },
      orderflow_order_oldest_in_status_seconds: { label: 'status', values: ['validating', 'compensating'] },
      orderflow_review_queue_size: {},
      orderflow_review_queue_oldest_seconds: {},
      http_server_requests_total: { label: 'route', values: ['/metrics'] },
      http_server_request_duration_seconds_count: { label: 'route', values: ['/metrics'] },
      temporal_num_pollers: { label: 'task_queue', values: ['order-processing', 'fraud-checks', 'payments'] },
    };
    await eventually(
      async () => {
        const problems: string[] = [];
        for (const [metric, { label, values }] of Object.entries(expected)) {
          const series = await query(metric);
          if (series.length === 0) problems.push(`${metric} absent`);
          if (!label) continue;
          const have = new Set(series.map((s) => s.metric[label]));
          for (const v of values ?? []) if (!have.has(v)) problems.push(`${metric}{${label}="${v}"} absent`);
        }
        if (problems.length > 0) throw new Error(problems.join('; '));
        return true;
      },
      30_000,
      'contract metrics present',
    );
    // Every status × kind pair that can occur is there from the start (kind: none, business, technical).
    const statusKinds = new Set(
      (await query('order_workflow_status_total')).map((s) => `${s.metric.status}/${s.metric.kind}`),
    );
    expect(statusKinds).toEqual(
      new Set([
        'completed/none',
        'failed/business',
        'failed/technical',
        'compensated/business',
        'compensated/technical',
        'timed_out/technical',
      ]),
    );
    // Job labels: the Temporal pipeline's workflow metrics come from the order-worker, the activity ones
    // from every worker; the legacy pipeline (migration baseline) counts the same metric under its own job.
    const jobsOf = async (q: string): Promise<string[]> =>
      [...new Set((await query(q)).map((s) => String(s.metric.job)))].sort();
    expect(await jobsOf('order_workflow_status_total{pipeline!="legacy"}')).toEqual(['order-worker']);
    expect(await jobsOf('order_workflow_status_total{pipeline="legacy"}')).toEqual(['legacy-order-service']);
    expect(await jobsOf('activity_duration_seconds_count{pipeline!="legacy"}')).toEqual([
      'fraud-worker',
      'order-worker',
      'payment-worker',
    ]);
    // The SDK's pollers under the worker jobs, as TemporalTaskQueueNoPollers selects them.
    const pollers = await query(
      'sum by (job, task_queue) (temporal_num_pollers{job=~"order-worker|fraud-worker|payment-worker"})',
    );
    expect(new Set(pollers.map((s) => `${s.metric.job}/${s.metric.task_queue}`))).toEqual(
      new Set(['order-worker/order-processing', 'fraud-worker/fraud-checks', 'payment-worker/payments']),
    );
  });

  // The compensated order (shipping refuses the address) and the failed one (a blocked customer) are
  // business declines: they count under kind="business", the completed one under kind="none".
  it('when orders complete, compensate and fail, then the ADR counters and histograms move', async () => {
    const before = {
      completed: await value('order_workflow_status_total{status="completed",kind="none"}'),
      compensated: await value('order_workflow_status_total{status="compensated",kind="business"}'),
      failed: await value('order_workflow_status_total{status="failed",kind="business"}'),
      shipmentTriggered: await value('compensation_triggered_total{step="CreateShipment"}'),
      completedDurations: await value('order_workflow_duration_seconds_count{status="completed"}'),
      orderApiPosts: await value(
        'http_server_requests_total{job="order-api",method="POST",route="/orders",status="202"}',
      ),
    };
    const ids = await Promise.all([
      submit(order()),
      submit(
        order({ customerId: 'cust-bob', shippingAddress: { ...address, line1: '2 Undeliverable Road' } }),
      ),
      submit(order({ customerId: 'cust-blocked' })),
    ]);
    const outcomes = await Promise.all(ids.map(finished));
    expect(outcomes).toEqual(['completed', 'failed', 'failed']);

    await eventually(
      async () => {
        const now = {
          completed: await value('order_workflow_status_total{status="completed",kind="none"}'),
          compensated: await value('order_workflow_status_total{status="compensated",kind="business"}'),
          failed: await value('order_workflow_status_total{status="failed",kind="business"}'),
          shipmentTriggered: await value('compensation_triggered_total{step="CreateShipment"}'),
          completedDurations: await value('order_workflow_duration_seconds_count{status="completed"}'),
          orderApiPosts: await value(
            'http_server_requests_total{job="order-api",method="POST",route="/orders",status="202"}',
          ),
          payments: await value('activity_duration_seconds_count{activity="ProcessPayment"}'),
          refunds: await value('activity_duration_seconds_count{activity="RefundPayment"}'),
        };
        const lagging = Object.entries(before)
          .filter(([k, v]) => now[k as keyof typeof now] < v + 1)
          .map(([k]) => k);
        if (now.payments <= 0) lagging.push('payments');
        if (now.refunds <= 0) lagging.push('refunds');
        if (lagging.length > 0) throw new Error(`not yet increased: ${lagging.join(', ')}`);
        return true;
      },
      45_000,
      'workflow, activity and HTTP metrics increased in Prometheus',
    );
  }, 180_000);
});
