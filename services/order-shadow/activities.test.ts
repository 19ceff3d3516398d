// The decide-only activities against a real HTTP server standing in for every downstream service: the reads
// call it, the effects never do (they record their intent in a real store instead).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceClient } from '../../workflows/activities/http-client.ts';
import { createShadowActivities } from './activities.ts';
import { openShadowStore } from './store.ts';

const calls: string[] = [];
let server: Server;
let base = '';

const answers: Record<string, unknown> = {
  'GET /customers/cust-a': { id: 'cust-a', eligible: true, status: 'active' },
  'POST /availability': { available: true, items: [{ sku: 'sku-1', requested: 2, available: 9 }] },
  'POST /quotes': { currency: 'USD', subtotalCents: 2000, discountCents: 0, totalBeforeTaxCents: 2000 },
  'POST /tax': { jurisdiction: 'US-CA', taxCents: 170 },
  'POST /assessments': { decision: 'approve', score: 0.1, reasons: [] },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const key = `${req.method} ${req.url}`;
    calls.push(key);
    req.resume();
    const body = answers[key];
    res.writeHead(body ? 200 : 500, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: { code: 'UNEXPECTED', message: key } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const request = {
  customerId: 'cust-a',
  items: [{ sku: 'sku-1', quantity: 2 }],
  shippingAddress: { line1: '1 Main St', city: 'SF', postalCode: '94105', country: 'US' },
  paymentMethod: 'pm_card_visa',
};

function world() {
  const store = openShadowStore(':memory:');
  const client = (name: string) => serviceClient(name, base);
  const activities = createShadowActivities({
    customer: client('customer-service'),
    inventory: client('inventory-service'),
    pricing: client('pricing-service'),
    tax: client('tax-service'),
    fraud: client('fraud-service'),
    store,
  });
  return { store, activities };
}

describe('shadow activities', () => {
  it('when the reads run, then they call the downstream services and price the order as the pipeline does', async () => {
    const { activities } = world();
    calls.length = 0;
    await activities.validateOrder({ orderId: 'o-1', request });
    const pricing = await activities.calculatePricing({ orderId: 'o-1', request });
    const fraud = await activities.runFraudCheck({ orderId: 'o-1', request, pricing });
    expect(pricing.totalCents).toBe(2170);
    expect(fraud.decision).toBe('approve');
    expect(calls).toEqual([
      'GET /customers/cust-a',
      'POST /availability',
      'POST /quotes',
      'POST /tax',
      'POST /assessments',
    ]);
  });

  it('when every effect step runs, then no downstream service is called and each intent is recorded once', async () => {
    const { store, activities } = world();
    store.add('o-2', request);
    calls.length = 0;
    const pricing = {
      currency: 'USD',
      subtotalCents: 2000,
      discountCents: 0,
      taxCents: 170,
      totalCents: 2170,
      taxJurisdiction: 'US-CA',
    };
    const pay = {
      orderId: 'o-2',
      customerId: 'cust-a',
      amountCents: 2170,
      currency: 'USD',
      paymentMethod: 'pm_card_visa',
    };
    await activities.reserveInventory({ orderId: 'o-2', request });
    const payment = await activities.processPayment(pay);
    await activities.processPayment(pay); // a retried attempt: still one intended charge
    const shipment = await activities.createShipment({ orderId: 'o-2', request });
    await activities.finalizeOrder({ orderId: 'o-2', request, pricing, payment, shipment });
    await activities.refundPayment(pay);
    await activities.releaseInventoryReservation({ orderId: 'o-2' });
    await activities.cancelShipment({ orderId: 'o-2' });
    await activities.recordReviewDecision({ orderId: 'o-2', review: { decision: 'approve', reviewer: 'r' } });

    expect(calls).toEqual([]);
    expect(payment).toEqual({ paymentIntentId: 'shadow:o-2', amountCents: 2170, currency: 'USD' });
    const intents = store.intents('o-2');
    expect(intents.map((i) => i.effect).sort()).toEqual(
      [
        'cancel_shipment',
        'charge',
        'finalize',
        'refund',
        'release',
        'reserve',
        'review_feedback',
        'ship',
      ].sort(),
    );
    expect(intents.find((i) => i.effect === 'charge')?.detail).toMatchObject({ amountCents: 2170 });
    expect(store.get('o-2')?.shadowOutcome).toEqual({ status: 'completed', totalCents: 2170, failure: null });
  });

  it('when the order fails, then the failure is recorded as the shadow outcome, not in the order store', async () => {
    const { store, activities } = world();
    store.add('o-3', request);
    await activities.recordOrderFailed({
      orderId: 'o-3',
      request,
      status: 'failed',
      failure: { step: 'ValidateOrder', type: 'InsufficientStock', message: 'not enough stock' },
      compensations: [],
    });
    expect(store.get('o-3')?.shadowOutcome).toEqual({
      status: 'failed',
      totalCents: null,
      failure: { step: 'ValidateOrder', type: 'InsufficientStock', message: 'not enough stock' },
    });
  });
});
