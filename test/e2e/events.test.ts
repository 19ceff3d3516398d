// Kafka fan-out end to end: orders through order-api on the running stack, their OrderCompleted and
// OrderFailed events through the real broker and registry, into the four consumer processes.
import { describe, expect, it } from 'vitest';
import { consumers } from '../../consumers/registry.ts';
import { eventually, host, uniqueId } from '../support/stack.ts';
import { api, auditEntriesFor, getJson } from '../support/orders.ts';

const consumerUrl = (c: { port: number }, path: string): string => `http://${host}:${c.port}${path}`;

async function placeOrder(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': uniqueId('events') },
    body: JSON.stringify({
      customerId: 'cust-carol',
      items: [{ sku: 'sku-widget', quantity: 1 }],
      shippingAddress: { line1: '5 Elm St', city: 'Chicago', postalCode: '60601', country: 'US' },
      paymentMethod: 'pm_card_visa',
      ...body,
    }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { orderId: string }).orderId;
}

describe('order events end to end', () => {
  it('when an order completes, then its OrderCompleted reaches loyalty, analytics, email and the audit log, once each', async () => {
    const before = await getJson<{ points: number }>(consumerUrl(consumers.loyalty, '/points/cust-carol'));
    const orderId = await placeOrder({});

    const audit = await auditEntriesFor(orderId, 'audit-log-consumer to record the event');
    expect(audit.map((e) => e.eventType)).toEqual(['OrderCompleted']);

    const emails = await eventually(
      async () => {
        const { emails } = await getJson<{ emails: { template: string }[] }>(
          consumerUrl(consumers.email, `/emails?orderId=${orderId}`),
        );
        return emails.length > 0 ? emails : undefined;
      },
      15_000,
      'email-consumer to send the confirmation',
    );
    expect(emails.map((e) => e.template)).toEqual(['order_confirmation']);

    const loyalty = await eventually(
      async () => {
        const after = await getJson<{ points: number; ledger: { orderId: string }[] }>(
          consumerUrl(consumers.loyalty, '/points/cust-carol'),
        );
        return after.ledger.some((l) => l.orderId === orderId) ? after : undefined;
      },
      15_000,
      'loyalty-consumer to award points',
    );
    expect(loyalty.points).toBeGreaterThan(before.points);
    expect(loyalty.ledger.filter((l) => l.orderId === orderId)).toHaveLength(1);
  });

  it('when an order fails after payment, then its OrderFailed reaches analytics, email and the audit log, and earns no points', async () => {
    const failuresBefore = (
      await getJson<{ failed: { orders: number } }>(consumerUrl(consumers.analytics, '/aggregates'))
    ).failed.orders;
    const orderId = await placeOrder({
      shippingAddress: { line1: '9 Undeliverable Way', city: 'Chicago', postalCode: '60601', country: 'US' },
    });

    const audit = await auditEntriesFor(orderId, 'audit-log-consumer to record the failure');
    expect(audit.map((e) => e.eventType)).toEqual(['OrderFailed']);
    await eventually(
      async () => {
        const { emails } = await getJson<{ emails: { template: string }[] }>(
          consumerUrl(consumers.email, `/emails?orderId=${orderId}`),
        );
        return emails.some((e) => e.template === 'order_failed') ? true : undefined;
      },
      15_000,
      'email-consumer to send the failure email',
    );
    await eventually(
      async () => {
        const { failed } = await getJson<{ failed: { orders: number } }>(
          consumerUrl(consumers.analytics, '/aggregates'),
        );
        return failed.orders > failuresBefore ? true : undefined;
      },
      15_000,
      'analytics-consumer to count the failure',
    );
    const { ledger } = await getJson<{ ledger: { orderId: string }[] }>(
      consumerUrl(consumers.loyalty, '/points/cust-carol'),
    );
    expect(ledger.some((l) => l.orderId === orderId)).toBe(false);
  });
});
