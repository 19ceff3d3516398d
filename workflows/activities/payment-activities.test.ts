// ProcessPayment against a real payment-gateway (in process) in a brownout: 30% of requests answered HTTP 500.
// The SDK's own retries and further activity attempts (what Temporal's time-bounded policy gives) resend the
// same Idempotency-Keys, so every order ends with exactly one captured intent for its amount: no double charge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { startGateway, type Gateway } from '../../test/support/payment-gateway.ts';
import { createPaymentActivities } from './payment-activities.ts';
import type { PaymentRequest } from './types.ts';

let gateway: Gateway;
beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(async () => {
  await gateway?.close();
});

const setFaults = async (body: object): Promise<void> => {
  const res = await fetch(`http://127.0.0.1:${gateway.port}/admin/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
};

const request = (orderId: string): PaymentRequest => ({
  orderId,
  customerId: 'cust-alice',
  amountCents: 4288,
  currency: 'usd',
  paymentMethod: 'pm_card_visa',
});

/** One activity attempt, as the payment-worker runs it: the workflow id is the order id. */
const attempt = (orderId: string, attemptNo: number) => {
  const activities = createPaymentActivities({ stripe: gateway.stripe() });
  return new MockActivityEnvironment({
    attempt: attemptNo,
    workflowExecution: { workflowId: orderId, runId: 'run-1' },
  }).run((req: PaymentRequest) => activities.processPayment(req), request(orderId));
};

describe('ProcessPayment in a gateway brownout', () => {
  it('when 30% of gateway requests answer 500, then retried attempts charge each order exactly once', async () => {
    await setFaults({ errorRate: 0.3, errorStatus: 500 });
    const orders = Array.from({ length: 30 }, (_, i) => `ord_brownout_${Date.now()}_${i}`);
    const attemptsOf = new Map<string, number>();
    await Promise.all(
      orders.map(async (orderId) => {
        for (let n = 1; n <= 10; n++) {
          attemptsOf.set(orderId, n);
          try {
            return await attempt(orderId, n);
          } catch {
            // a retryable failure: Temporal would schedule the next attempt within the budget
          }
        }
        throw new Error(`${orderId} not paid after 10 attempts`);
      }),
    );
    await setFaults({ errorRate: 0 });

    const intents = await gateway.stripe().paymentIntents.list({ limit: 100 });
    for (const orderId of orders) {
      const mine = intents.data.filter((pi) => pi.metadata.order_id === orderId);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.status).toBe('succeeded');
      expect(mine[0]!.amount_received).toBe(4288);
    }
    // The SDK's retries absorb most 500s: most orders need one activity attempt (with 2 attempts, as the
    // ADR's cap, the rest would have been at risk).
    const firstTime = [...attemptsOf.values()].filter((n) => n === 1).length;
    expect(firstTime).toBeGreaterThan(orders.length / 2);
  }, 120_000);
});
