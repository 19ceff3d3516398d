// The clustered Temporal profile (stack/cluster/): PostgreSQL, schemas by temporal-sql-tool, frontend,
// history, matching and worker as four processes. The test runs its own cluster on free ports (the shared
// stack may be up on 7233 with either profile), with its own order-api and workers against it; the shared
// stack's downstream services, Kafka and Toxiproxy serve them. An order completes; another waits for a
// reviewer while the history service restarts, and completes after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '@temporalio/client';
import protoPackage from '@temporalio/proto';
import { ORDER_SEARCH_ATTRIBUTES, TASK_QUEUES } from '../../contracts/order/definitions.ts';
import { CLUSTER_COMPONENT } from '../../stack/cluster/components.ts';
import { appProcess, lowFreePorts, startTestCluster, type TestCluster } from '../support/cluster.ts';
import { eventually, requireComponent, uniqueId, urls } from '../support/stack.ts';
import { order, type Accepted, type OrderView } from '../support/orders.ts';

const { TaskQueueKind, TaskQueueType } = protoPackage.temporal.api.enums.v1; // CommonJS package

let cluster: TestCluster;
const apps: ReturnType<typeof appProcess>[] = [];
let api = '';

const submit = async (body: unknown): Promise<Accepted> => {
  const res = await fetch(`${api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': uniqueId('cluster') },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return (await res.json()) as Accepted;
};
const view = async (id: string): Promise<OrderView> =>
  (await (await fetch(`${api}/orders/${id}`)).json()) as OrderView;
const until = (id: string, done: (status: string) => boolean, timeoutMs: number): Promise<OrderView> =>
  eventually(
    async () => {
      for (const app of apps) {
        const dead = await app.exited();
        if (dead) throw new Error(`${dead}`); // a crashed worker would only show as a timeout
      }
      const o = await view(id);
      return done(o.status) ? o : undefined;
    },
    timeoutMs,
    `order ${id} on the test cluster`,
  );
const TERMINAL = ['completed', 'failed', 'compensation_failed'];

describe('clustered Temporal profile', () => {
  beforeAll(async () => {
    // The workers reach the shared stack's downstream services (Toxiproxy) and Kafka.
    await requireComponent('toxiproxy', { kind: 'http', url: `${urls.toxiproxy}/version` });
    cluster = await startTestCluster();
    const [apiPort, ...metrics] = await lowFreePorts(4);
    api = `http://127.0.0.1:${apiPort}`;
    const worker = (name: string, env: string, port: number) =>
      appProcess(cluster, name, `workflows/workers/${name}.ts`, {
        [`${env}_METRICS_PORT`]: String(port),
        [`${env}_SDK_METRICS_PORT`]: '0',
      });
    apps.push(
      appProcess(cluster, 'order-api', 'services/order-api/main.ts', { PORT: String(apiPort) }),
      worker('order-worker', 'ORDER_WORKER', metrics[0]!),
      worker('fraud-worker', 'FRAUD_WORKER', metrics[1]!),
      worker('payment-worker', 'PAYMENT_WORKER', metrics[2]!),
    );
    await eventually(
      async () => ((await fetch(`${api}/readyz`)).ok ? true : undefined),
      60_000,
      'order-api on the test cluster',
    );
    // Orders go in once every task queue has pollers: a step's schedule-to-close (60 s) starts at once.
    const connection = await Connection.connect({ address: cluster.address });
    try {
      for (const [queue, type] of [
        [TASK_QUEUES.orders, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
        [TASK_QUEUES.fraud, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
        [TASK_QUEUES.payments, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
      ] as const) {
        await eventually(
          async () => {
            const { pollers } = await connection.workflowService.describeTaskQueue({
              namespace: 'default',
              taskQueue: { name: queue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
              taskQueueType: type,
            });
            return (pollers ?? []).length > 0 ? true : undefined;
          },
          150_000,
          `pollers on ${queue} of the test cluster`,
        );
      }
    } finally {
      await connection.close();
    }
  }, 300_000);

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await cluster?.stop();
  }, 90_000);

  it('registers the namespace with the order search attributes, and the UI serves it', async () => {
    const connection = await Connection.connect({ address: cluster.address });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({
        namespace: 'default',
      });
      expect(Object.keys(customAttributes ?? {})).toEqual(
        expect.arrayContaining(Object.keys(ORDER_SEARCH_ATTRIBUTES)),
      );
    } finally {
      await connection.close();
    }
    const ui = await fetch(`http://127.0.0.1:${cluster.layout.ui}/api/v1/namespaces/default`);
    expect(ui.status).toBe(200);
    expect(((await ui.json()) as { namespaceInfo: { name: string } }).namespaceInfo.name).toBe('default');
  });

  it('when an order is submitted, then it completes on the cluster', async () => {
    const { orderId } = await submit(order({ customerId: 'cust-bob' }));
    const done = await until(orderId, (s) => TERMINAL.includes(s), 120_000);
    expect(done).toMatchObject({ status: 'completed', failure: null });
    expect(done.trackingNumber).toBeTruthy();
  }, 200_000);

  it('when the history service restarts while an order waits for review, then the order survives and completes', async () => {
    // $2,398.80: the fraud service flags it, so the workflow waits for a reviewer: durable state only.
    const { orderId } = await submit(order({ items: [{ sku: 'sku-widget', quantity: 120 }] }));
    await until(orderId, (s) => s === 'awaiting_review', 120_000);

    const before = cluster.pid(CLUSTER_COMPONENT.history);
    await cluster.restart(CLUSTER_COMPONENT.history);
    expect(cluster.pid(CLUSTER_COMPONENT.history)).not.toBe(before);

    // The update reaches the workflow through the restarted history service (retried while shards move).
    const review = await eventually(
      async () => {
        const res = await fetch(`${api}/orders/${orderId}/review`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ decision: 'approve', reviewer: 'risk-analyst@example.com' }),
        });
        return res.status === 503 ? undefined : res;
      },
      60_000,
      'the review decision to be accepted after the restart',
    );
    expect(review.status).toBeLessThan(300);
    const done = await until(orderId, (s) => TERMINAL.includes(s), 120_000);
    expect(done).toMatchObject({ status: 'completed', failure: null });
  }, 240_000);
});
