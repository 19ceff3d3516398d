// Network faults on the shared dependencies (Toxiproxy on the Kafka and payment-gateway proxies) while
// orders run. They poison proxies every process uses, so npm test runs this folder on its own, after
// the rest (ORDERFLOW_TEST_PHASE=chaos), one test at a time.
import { afterEach, describe, expect, it } from 'vitest';
import { Toxiproxy } from 'toxiproxy-node-client';
import { downstream } from '../../platform/downstream.ts';
import { eventually, urls } from '../support/stack.ts';
import {
  api,
  auditEntriesFor,
  getJson,
  intentsFor,
  order,
  settle,
  submit,
  temporalClient,
} from '../support/orders.ts';

async function placeOrder(body: Record<string, unknown>): Promise<string> {
  const { status, body: accepted } = await submit(order({ customerId: 'cust-carol', ...body }));
  expect(status).toBe(202);
  return accepted.orderId;
}

describe('network faults on shared dependencies', () => {
  const toxiproxy = new Toxiproxy(urls.toxiproxy);
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
  });

  it('when the gateway charges but the response is lost, then the retried payment replays the same intent: one charge', async () => {
    const proxy = await toxiproxy.get(downstream.payment.name);
    // Responses from the gateway are cut; requests still arrive and take effect.
    const toxic = await proxy.addToxic({
      name: 'lose-responses',
      type: 'limit_data',
      stream: 'downstream',
      toxicity: 1,
      attributes: { bytes: 1 },
    });
    cleanups.push(() => toxic.remove());
    const { body } = await submit(order({ customerId: 'cust-dave' }));
    // The first attempt creates the intent, then loses the answer and fails; lift the toxic while
    // Temporal waits out the retry backoff, so the second attempt gets through.
    await eventually(
      async () => ((await intentsFor(body.orderId)).length > 0 ? true : undefined),
      20_000,
      'intent created',
    );
    await eventually(
      async () => {
        const { raw } = await temporalClient().workflow.getHandle(body.orderId).describe();
        const pending = raw.pendingActivities?.find((a) => a.activityType?.name === 'processPayment');
        return (pending?.attempt ?? 0) >= 2 ? true : undefined;
      },
      20_000,
      'ProcessPayment attempt 1 to fail',
    );
    await toxic.remove();
    const done = await settle(body.orderId, 60_000);
    expect(done.status).toBe('completed');
    const intents = await intentsFor(body.orderId);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ status: 'succeeded', amount_received: done.totals!.totalCents });
    // The retry really happened: ProcessPayment's recorded attempt count is above one.
    const history = await temporalClient().workflow.getHandle(body.orderId).fetchHistory();
    const completedPayment = (history.events ?? []).find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'processPayment',
    );
    const started = (history.events ?? []).find(
      (e) =>
        e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() ===
        completedPayment?.eventId?.toString(),
    );
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThan(1);
  });

  it('when Kafka is unreachable during FinalizeOrder, then the activity retries until it is back and the order completes with one event', async () => {
    const temporal = temporalClient();
    const setKafkaProxy = (enabled: boolean) =>
      fetch(`${urls.toxiproxy}/proxies/kafka`, { method: 'POST', body: JSON.stringify({ enabled }) });
    await setKafkaProxy(false);
    let orderId: string;
    try {
      orderId = await placeOrder({});
      // FinalizeOrder fails its attempts while the broker is unreachable; the paid order stays finalizing.
      await eventually(
        async () => {
          const { raw } = await temporal.workflow.getHandle(orderId).describe();
          const pending = raw.pendingActivities?.find((a) => a.activityType?.name === 'finalizeOrder');
          return (pending?.attempt ?? 0) >= 2 ? true : undefined;
        },
        30_000,
        'FinalizeOrder to be retrying',
      );
      const during = await getJson<{ status: string }>(`${api}/orders/${orderId}`);
      expect(during.status).toBe('finalizing');
    } finally {
      await setKafkaProxy(true);
    }
    const done = await eventually(
      async () => {
        const o = await getJson<{ status: string }>(`${api}/orders/${orderId}`);
        return o.status === 'completed' || o.status === 'failed' ? o : undefined;
      },
      60_000,
      'the order to complete after Kafka is back',
    );
    expect(done.status).toBe('completed');
    const entries = await auditEntriesFor(orderId, 'the event after the outage');
    expect(entries.map((e) => e.eventType)).toEqual(['OrderCompleted']);
  });
});
