// Shadow mode in the router: with the switch on, each new order the legacy pipeline decided is mirrored once,
// under legacy's own order id, after legacy answered and without changing the answer; nothing else is mirrored.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../../observability/metrics/definitions.ts';
import { buildRouterApp } from './app.ts';
import { createRouterMetrics } from './metrics.ts';
import { openRoutesStore, type RoutesStore } from './routes-store.ts';

/** A pipeline that answers POST /orders with `status` and a body naming `legacy-<key>` (as legacy's 202 or 422 do). */
async function pipeline(status: () => number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      const s = status();
      const body =
        s < 300
          ? { orderId: `legacy-${key}`, status: 'completed' }
          : { error: { code: 'ORDER_DECLINED', message: 'declined', details: { orderId: `legacy-${key}` } } };
      res.writeHead(s, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

const order = (customerId: string) => ({
  customerId,
  items: [{ sku: 'sku-widget', quantity: 1 }],
  shippingAddress: { line1: '1 Main St', city: 'SF', postalCode: '94105', country: 'US' },
  paymentMethod: 'pm_card_visa',
});

let legacyStatus = 202;
let percent = 0;
let enabled = true;
let mirrored: { orderId: string; request: unknown }[] = [];
let legacy: { url: string; server: Server };
let temporal: { url: string; server: Server };
let dir: string;
let routes: RoutesStore;
let app: ReturnType<typeof buildRouterApp>;
const registry = createRegistry();

beforeAll(async () => {
  legacy = await pipeline(() => legacyStatus);
  temporal = await pipeline(() => 202);
  dir = mkdtempSync(join(tmpdir(), 'order-router-shadow-'));
  routes = openRoutesStore(join(dir, 'routes.db'));
  app = buildRouterApp({
    upstreams: { temporal: temporal.url, legacy: legacy.url },
    canaryPercent: () => percent,
    routes,
    metrics: createRouterMetrics(registry, () => undefined),
    registry,
    upstreamTimeoutMs: 10_000,
    logLevel: 'silent',
    shadow: {
      enabled: () => enabled,
      mirror: (orderId, request) => {
        mirrored.push({ orderId, request });
        return Promise.resolve(202);
      },
    },
  });
});
afterAll(async () => {
  await app.close();
  routes.close();
  legacy.server.close();
  temporal.server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  mirrored = [];
  legacyStatus = 202;
  percent = 0;
  enabled = true;
});

const submit = (customerId: string, key: string) =>
  app.inject({
    method: 'POST',
    url: '/orders',
    payload: order(customerId),
    headers: { 'idempotency-key': key },
  });

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('order-router in shadow mode', () => {
  it('when legacy completes a new order, then it is mirrored once under legacy’s id, the answer unchanged', async () => {
    const res = await submit('cust-s', 'k1');
    await settle();
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ orderId: 'legacy-k1', status: 'completed' });
    expect(mirrored).toEqual([{ orderId: 'legacy-k1', request: order('cust-s') }]);

    await submit('cust-s', 'k1'); // the same order again: a duplicate, not mirrored twice
    await settle();
    expect(mirrored).toHaveLength(1);
  });

  it('when legacy declines an order, then the decline is mirrored too (its id from the error details)', async () => {
    legacyStatus = 422;
    await submit('cust-s', 'k2');
    await settle();
    expect(mirrored.map((m) => m.orderId)).toEqual(['legacy-k2']);
  });

  it('when the order goes to the Temporal pipeline or shadow mode is off, then nothing is mirrored', async () => {
    percent = 100;
    await submit('cust-s', 'k3');
    percent = 0;
    enabled = false;
    await submit('cust-s', 'k4');
    await settle();
    expect(mirrored).toEqual([]);
  });

  it('when an order was mirrored, then /metrics counts it as sent', async () => {
    await submit('cust-s', 'k5');
    await settle();
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/order_router_shadow_mirrors_total\{result="sent"\} [1-9]/);
    expect(text).toMatch(/order_router_shadow_mirrors_total\{result="failed"\} 0/);
  });
});
