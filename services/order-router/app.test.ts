// The router against two real HTTP servers standing in for the pipelines (each keeps the orders it took and
// answers the order API's contract), so forwarding, relaying and stickiness are exercised over real sockets.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { orderIdFor } from '../../contracts/order-id.ts';
import { createRegistry } from '../../observability/metrics/definitions.ts';
import { buildRouterApp } from './app.ts';
import { createRouterMetrics } from './metrics.ts';
import { openRoutesStore, type RoutesStore } from './routes-store.ts';
import { bucketOf, pipelineFor, type Pipeline } from './routing.ts';

interface Upstream {
  readonly url: string;
  readonly orders: Map<string, unknown>;
  readonly keys: string[];
  readonly server: Server;
}

/** A pipeline stand-in: POST /orders (202, its own order id), GET /orders/:id (200 or 404 ORDER_NOT_FOUND). */
async function pipelineServer(name: Pipeline): Promise<Upstream> {
  const orders = new Map<string, unknown>();
  const keys: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(json));
      };
      if (req.method === 'POST' && req.url === '/orders') {
        const order = JSON.parse(body) as { customerId?: string };
        if (typeof order.customerId !== 'string')
          return send(400, { error: { code: 'VALIDATION_FAILED', message: 'customerId required' } });
        const key = req.headers['idempotency-key'] as string;
        keys.push(key);
        // The legacy pipeline salts its ids, as legacy-order-service does: they differ from order-api's.
        const id =
          name === 'temporal'
            ? orderIdFor(order.customerId, key)
            : `ord_${createHash('sha256').update(`legacy\n${order.customerId}\n${key}`).digest('hex').slice(0, 26)}`;
        orders.set(id, { orderId: id, status: 'received', pipeline: name });
        return send(
          202,
          { orderId: id, status: 'received', duplicate: false },
          { location: `/orders/${id}` },
        );
      }
      const m = /^\/orders\/([^/]+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && m) {
        const order = orders.get(m[1]!);
        return order
          ? send(200, order)
          : send(404, { error: { code: 'ORDER_NOT_FOUND', message: `order ${m[1]} not found` } });
      }
      send(404, { error: { code: 'ROUTE_NOT_FOUND', message: 'no route' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, orders, keys, server };
}

const order = (customerId: string) => ({
  customerId,
  items: [{ sku: 'sku-widget', quantity: 1 }],
  shippingAddress: { line1: '1 Main St', city: 'SF', postalCode: '94105', country: 'US' },
  paymentMethod: 'pm_card_visa',
});

let temporal: Upstream;
let legacy: Upstream;
let dir: string;
let routes: RoutesStore;
let percent = 0;
const registry = createRegistry();
let app: ReturnType<typeof buildRouterApp>;

beforeAll(async () => {
  [temporal, legacy] = await Promise.all([pipelineServer('temporal'), pipelineServer('legacy')]);
  dir = mkdtempSync(join(tmpdir(), 'order-router-'));
  routes = openRoutesStore(join(dir, 'routes.db'));
  app = buildRouterApp({
    upstreams: { temporal: temporal.url, legacy: legacy.url },
    canaryPercent: () => percent,
    routes,
    metrics: createRouterMetrics(registry, () => undefined),
    registry,
    upstreamTimeoutMs: 10_000,
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await app.close();
  routes.close();
  temporal.server.close();
  legacy.server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  percent = 0;
});

const submit = (customerId: string, key?: string) =>
  app.inject({
    method: 'POST',
    url: '/orders',
    payload: order(customerId),
    headers: key ? { 'idempotency-key': key } : {},
  });

describe('order-router', () => {
  it('sends every order to legacy with no canary, and all to Temporal at 100%', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await submit('cust-a', `none-${i}`);
      expect(res.statusCode).toBe(202);
      expect(res.headers['x-orderflow-pipeline']).toBe('legacy');
    }
    percent = 100;
    for (let i = 0; i < 5; i++)
      expect((await submit('cust-a', `all-${i}`)).headers['x-orderflow-pipeline']).toBe('temporal');
  });

  it('splits by the order id at the canary share, stable for the same id', async () => {
    percent = 10;
    const keys = Array.from({ length: 200 }, (_, i) => `split-${i}`);
    const went: unknown[] = [];
    for (const k of keys) went.push((await submit('cust-split', k)).headers['x-orderflow-pipeline']);
    keys.forEach((k, i) => expect(went[i]).toBe(pipelineFor(orderIdFor('cust-split', k), 10)));
    const share = went.filter((p) => p === 'temporal').length / keys.length;
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.2);
  });

  it('relays the pipeline answer as it is: status, body, Location', async () => {
    percent = 100;
    const res = await submit('cust-relay', 'relay-1');
    const body = res.json<{ orderId: string }>();
    expect(body.orderId).toBe(orderIdFor('cust-relay', 'relay-1'));
    expect(res.headers.location).toBe(`/orders/${body.orderId}`);
    const bad = await app.inject({ method: 'POST', url: '/orders', payload: { items: [] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('keeps a retried submission on its first pipeline after the share moved', async () => {
    // A key whose bucket is above 10: legacy at 10%, Temporal at 50%.
    const key = Array.from({ length: 500 }, (_, i) => `sticky-${i}`).find((k) => {
      const b = bucketOf(orderIdFor('cust-sticky', k));
      return b >= 10 && b < 50;
    })!;
    percent = 10;
    expect((await submit('cust-sticky', key)).headers['x-orderflow-pipeline']).toBe('legacy');
    percent = 50;
    expect((await submit('cust-sticky', key)).headers['x-orderflow-pipeline']).toBe('legacy');
    // A new order in the same bucket range now goes to Temporal.
    expect((await submit('cust-sticky', `${key}-new`)).headers['x-orderflow-pipeline']).toBe(
      pipelineFor(orderIdFor('cust-sticky', `${key}-new`), 50),
    );
  });

  it("routes GET /orders/:id to the order's pipeline, legacy's salted ids included", async () => {
    percent = 0;
    const legacyId = (await submit('cust-get', 'get-1')).json<{ orderId: string }>().orderId;
    expect(legacyId).not.toBe(orderIdFor('cust-get', 'get-1'));
    percent = 100;
    const temporalId = (await submit('cust-get', 'get-2')).json<{ orderId: string }>().orderId;
    const a = await app.inject({ method: 'GET', url: `/orders/${legacyId}` });
    const b = await app.inject({ method: 'GET', url: `/orders/${temporalId}` });
    expect([
      a.statusCode,
      a.headers['x-orderflow-pipeline'],
      a.json<{ pipeline: string }>().pipeline,
    ]).toEqual([200, 'legacy', 'legacy']);
    expect([
      b.statusCode,
      b.headers['x-orderflow-pipeline'],
      b.json<{ pipeline: string }>().pipeline,
    ]).toEqual([200, 'temporal', 'temporal']);
  });

  it('finds an order it never routed in either pipeline, and answers 404 when neither has it', async () => {
    legacy.orders.set('ord_direct', { orderId: 'ord_direct', pipeline: 'legacy' });
    const found = await app.inject({ method: 'GET', url: '/orders/ord_direct' });
    expect([found.statusCode, found.headers['x-orderflow-pipeline']]).toEqual([200, 'legacy']);
    const missing = await app.inject({ method: 'GET', url: '/orders/ord_nowhere' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'ORDER_NOT_FOUND' } });
    const bad = await app.inject({ method: 'GET', url: '/orders/bad%20id' });
    expect(bad.json()).toMatchObject({ error: { code: 'INVALID_ORDER_ID' } });
  });

  it('gives an order without Idempotency-Key a key, so its id and pipeline are known before forwarding', async () => {
    percent = 100;
    const before = temporal.keys.length;
    const res = await submit('cust-nokey');
    expect(res.statusCode).toBe(202);
    expect(temporal.keys.slice(before)).toEqual([expect.stringMatching(/^router-[0-9a-f-]{36}$/)]);
  });

  it('answers 502 UPSTREAM_UNAVAILABLE naming the pipeline when it does not answer', async () => {
    const down = buildRouterApp({
      upstreams: { temporal: 'http://127.0.0.1:9', legacy: 'http://127.0.0.1:9' },
      canaryPercent: () => 100,
      routes,
      metrics: createRouterMetrics(createRegistry(), () => undefined),
      upstreamTimeoutMs: 2000,
      logLevel: 'silent',
    });
    const res = await down.inject({
      method: 'POST',
      url: '/orders',
      payload: order('cust-down'),
      headers: { 'idempotency-key': 'down-1' },
    });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({
      error: { code: 'UPSTREAM_UNAVAILABLE', details: { pipeline: 'temporal' } },
    });
    await down.close();
  });

  it('counts orders and upstream answers per pipeline on /metrics', async () => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/order_router_orders_total\{pipeline="temporal"\} [1-9]/);
    expect(text).toMatch(/order_router_orders_total\{pipeline="legacy"\} [1-9]/);
    expect(text).toMatch(
      /order_router_upstream_requests_total\{pipeline="legacy",route="\/orders",status="202"\}/,
    );
    expect(text).toMatch(/canary_traffic_percent 0/);
  });
});
