// The gate's facts from real HTTP servers in the services' places (inventory, shipping, and Stripe's list API):
// money and orders only, never the consumers, and a service that answers an error makes the facts unreadable.
import { createServer, type Server } from 'node:http';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherMoneyFacts } from './facts.ts';

let server: Server;
let base: string;
const asked: string[] = [];
let inventoryFails = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url?.startsWith('/v1/payment_intents'))
      return json(200, {
        object: 'list',
        has_more: false,
        data: [
          {
            id: 'pi_1',
            object: 'payment_intent',
            created: Math.floor(Date.now() / 1000),
            status: 'succeeded',
            amount_received: 1200,
            metadata: { order_id: 'ord_a' },
            latest_charge: { id: 'ch_1', amount_refunded: 0 },
          },
        ],
      });
    if (req.url === '/inventory/reservations/ord_a')
      return inventoryFails ? json(500, {}) : json(200, { status: 'released' });
    if (req.url === '/shipping/shipments/ord_a') return json(404, {});
    json(404, {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => server.close());

const sources = () => {
  const { port } = new URL(base);
  return {
    stripe: new Stripe('sk_test_facts', { host: '127.0.0.1', port: Number(port), protocol: 'http' as const }),
    inventoryUrl: `${base}/inventory`,
    shippingUrl: `${base}/shipping`,
    consumerUrl: () => `${base}/consumer-must-not-be-asked`,
  };
};
const failedOrder = {
  orderId: 'ord_a',
  status: 'failed',
  totalCents: 1200,
  createdAt: new Date().toISOString(),
};

describe('gatherMoneyFacts', () => {
  it('reads the ledger, the reservation and the shipment, and never a consumer', async () => {
    inventoryFails = false;
    const [f] = await gatherMoneyFacts([failedOrder], sources());
    expect(f).toMatchObject({
      intents: [{ id: 'pi_1', amountReceived: 1200 }],
      reservation: 'released',
      events: {},
    });
    expect(f!.shipment).toBeUndefined();
    expect(asked.some((u) => u.includes('consumer'))).toBe(false);
  });

  it('fails (so the gate holds) when a service answers an error', async () => {
    inventoryFails = true;
    await expect(gatherMoneyFacts([failedOrder], sources())).rejects.toThrow(/answered 500/);
  });

  it('asks nothing for no order', async () => {
    const before = asked.length;
    expect(await gatherMoneyFacts([], sources())).toEqual([]);
    expect(asked.length).toBe(before);
  });
});
