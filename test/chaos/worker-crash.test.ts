// A payment worker killed (SIGKILL) in the middle of ProcessPayment: the activity times out, a restarted
// worker retries it with the same idempotency keys, and the customer is charged once.
import { afterEach, describe, expect, it } from 'vitest';
import { Toxiproxy } from 'toxiproxy-node-client';
import { downstream } from '../../platform/downstream.ts';
import { ctl, programStates } from '../../stack/supervisor.ts';
import { eventually, urls } from '../support/stack.ts';
import { intentsFor, order, settle, submit, temporalClient } from '../support/orders.ts';

describe('worker crash during payment', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
  });

  it('when the payment worker is killed mid-payment, then the retry on the restarted worker charges once', async () => {
    const proxy = await new Toxiproxy(urls.toxiproxy).get(downstream.payment.name);
    // Slow answers keep the payment in flight long enough to kill the worker inside it.
    const toxic = await proxy.addToxic({
      name: 'slow-gateway',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 2_000, jitter: 0 },
    });
    cleanups.push(() => toxic.remove());

    const { body } = await submit(order({ customerId: 'cust-dave' }));
    await eventually(
      async () => ((await intentsFor(body.orderId)).length > 0 ? true : undefined),
      30_000,
      'the payment to be in flight',
    );
    await ctl('signal', 'KILL', 'payment-worker'); // supervisord restarts it: the exit was unexpected
    await toxic.remove();
    await eventually(
      async () => ((await programStates()).get('payment-worker')?.state === 'RUNNING' ? true : undefined),
      30_000,
      'payment-worker to be restarted',
    );

    // The lost attempt times out (30 s start-to-close) and the new worker runs attempt 2.
    const done = await settle(body.orderId, 90_000);
    expect(done.status).toBe('completed');
    const intents = await intentsFor(body.orderId);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ status: 'succeeded', amount_received: done.totals!.totalCents });

    const history = await temporalClient().workflow.getHandle(body.orderId).fetchHistory();
    const scheduled = (history.events ?? []).find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'processPayment',
    );
    const started = (history.events ?? []).find(
      (e) =>
        e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === scheduled?.eventId?.toString(),
    );
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThan(1);
  }, 150_000);
});
