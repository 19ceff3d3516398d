import { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { appHarness } from '../../test/support/services.ts';
import { type ErrorBody } from '../../platform/errors.ts';
import { buildApp, type ShippingAppOptions } from './app.ts';
import { type ShipmentView } from './shipments.ts';
import { migrations } from './store.ts';

const { start, stop } = appHarness<ShippingAppOptions>('shipping-service', migrations, (db, options) =>
  buildApp({ db, logLevel: 'silent', labelBaseUrl: 'http://shipping.test/', ...options }),
);

let seq = 0;
const request = (overrides: Record<string, unknown> = {}, address: Record<string, unknown> = {}) => ({
  shipmentId: `shp-${++seq}`,
  orderId: `ord-${seq}`,
  address: { line1: '1 Market St', city: 'San Francisco', postalCode: '94105', country: 'US', ...address },
  items: [{ sku: 'SKU-MUG', quantity: 2 }],
  ...overrides,
});

const create = (app: FastifyInstance, body: unknown) =>
  app.inject({ method: 'POST', url: '/shipments', payload: body as object });
const post = (app: FastifyInstance, url: string) => app.inject({ method: 'POST', url });
type Response = Awaited<ReturnType<typeof create>>;
const shipment = (res: Response): ShipmentView => res.json<ShipmentView>();
const errorCode = (res: Response): string => res.json<ErrorBody>().error.code;

describe('POST /shipments', () => {
  it('when a deliverable US address is shipped, then a label is created with an OFX tracking number', async () => {
    const body = request();
    const res = await create(start(), body);
    expect(res.statusCode).toBe(201);
    const s = shipment(res);
    expect(s).toMatchObject({
      shipmentId: body.shipmentId,
      orderId: body.orderId,
      carrier: 'orderflow-express',
      status: 'label_created',
      labelUrl: `http://shipping.test/shipments/${body.shipmentId}/label`,
    });
    expect(s.trackingNumber).toMatch(/^OFX\d{12}$/);
    expect(Number.isNaN(Date.parse(s.createdAt))).toBe(false);
  });

  it.each([
    ['CA', 'ups', /^1ZOF7X2911\d{8}$/],
    ['GB', 'royal-mail', /^TT\d{9}GB$/],
    ['DE', 'deutsche-post', /^RR\d{9}DE$/],
    ['FR', 'la-poste', /^LA\d{9}FR$/],
    ['NL', 'postnl', /^3S[A-Z]{4}\d{9}$/],
  ])(
    'when the address is in %s, then carrier %s issues the tracking number',
    async (country, carrier, pattern) => {
      const res = await create(start(), request({}, { country }));
      expect(res.statusCode).toBe(201);
      expect(shipment(res).carrier).toBe(carrier);
      expect(shipment(res).trackingNumber).toMatch(pattern);
    },
  );

  it('when the same shipmentId is sent again, then the same shipment and tracking number come back with 200', async () => {
    const app = start();
    const body = request();
    const first = await create(app, body);
    const again = await create(app, body);
    expect(again.statusCode).toBe(200);
    expect(shipment(again)).toEqual(shipment(first));
  });

  it('when the same shipmentId arrives concurrently, then exactly one shipment is created', async () => {
    const app = start();
    const body = request();
    const results = await Promise.all([create(app, body), create(app, body), create(app, body)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(results.map((r) => shipment(r).trackingNumber)).size).toBe(1);
  });

  it('when a shipmentId is reused for another order, then it is 409 SHIPMENT_ID_CONFLICT', async () => {
    const app = start();
    const body = request();
    await create(app, body);
    const res = await create(app, { ...body, orderId: 'ord-other' });
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('SHIPMENT_ID_CONFLICT');
  });

  it.each([
    ['line1 says undeliverable', { line1: '13 UNDELIVERABLE Road' }],
    ['the postal code is 00000', { postalCode: '00000' }],
    ['the country is not served', { country: 'BR' }],
  ])('when %s, then it is 422 UNDELIVERABLE_ADDRESS and nothing is stored', async (_what, address) => {
    const app = start();
    const body = request({}, address);
    const res = await create(app, body);
    expect(res.statusCode).toBe(422);
    expect(errorCode(res)).toBe('UNDELIVERABLE_ADDRESS');
    expect((await app.inject({ method: 'GET', url: `/shipments/${body.shipmentId}` })).statusCode).toBe(404);
  });

  it.each([
    ['no items', { items: [] }],
    ['a zero quantity', { items: [{ sku: 'A', quantity: 0 }] }],
    ['a fractional quantity', { items: [{ sku: 'A', quantity: 1.5 }] }],
    ['no address', { address: undefined }],
    ['a blank city', { address: { line1: 'x', city: '  ', postalCode: '1', country: 'US' } }],
    [
      'a country name instead of a code',
      { address: { line1: 'x', city: 'y', postalCode: '1', country: 'Germany' } },
    ],
    ['a shipmentId with spaces', { shipmentId: 'shp 1' }],
  ])('when the request has %s, then it is 400 VALIDATION_FAILED', async (_what, overrides) => {
    const res = await create(start(), request(overrides));
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('VALIDATION_FAILED');
  });

  it('when the country code is lower case, then it is accepted as the same country', async () => {
    const res = await create(start(), request({}, { country: 'gb' }));
    expect(res.statusCode).toBe(201);
    expect(shipment(res).carrier).toBe('royal-mail');
  });
});

describe('carrier timeouts', () => {
  it('when the carrier hangs, then the request waits the timeout and answers 504 CARRIER_TIMEOUT without a label', async () => {
    const app = start({ carrierTimeoutRate: 1, carrierTimeoutMs: 150, random: () => 0 });
    const body = request();
    const started = performance.now();
    const res = await create(app, body);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.statusCode).toBe(504);
    expect(errorCode(res)).toBe('CARRIER_TIMEOUT');
    expect((await app.inject({ method: 'GET', url: `/shipments/${body.shipmentId}` })).statusCode).toBe(404);
  });

  it('when a timed-out label request is retried and the carrier answers, then the shipment is created', async () => {
    const draws = [0, 0.99];
    const app = start({ carrierTimeoutRate: 0.5, carrierTimeoutMs: 10, random: () => draws.shift() ?? 0.99 });
    const body = request();
    expect((await create(app, body)).statusCode).toBe(504);
    expect((await create(app, body)).statusCode).toBe(201);
  });

  it('when a shipment already exists, then a replay never calls the carrier and cannot time out', async () => {
    let calls = 0;
    const random = () => (++calls === 1 ? 0.99 : 0);
    const app = start({ carrierTimeoutRate: 0.5, carrierTimeoutMs: 5_000, random });
    const body = request();
    expect((await create(app, body)).statusCode).toBe(201);
    expect((await create(app, body)).statusCode).toBe(200);
    expect(calls).toBe(1);
  });
});

describe('GET /shipments/:id and the label', () => {
  it('when the shipment exists, then it is returned', async () => {
    const app = start();
    const body = request();
    const created = shipment(await create(app, body));
    const res = await app.inject({ method: 'GET', url: `/shipments/${body.shipmentId}` });
    expect(res.statusCode).toBe(200);
    expect(shipment(res)).toEqual(created);
  });

  it('when the shipment is unknown, then it is 404 SHIPMENT_NOT_FOUND', async () => {
    const res = await start().inject({ method: 'GET', url: '/shipments/shp-nope' });
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('SHIPMENT_NOT_FOUND');
  });

  it('when the label is fetched, then it is ZPL with the tracking number and address, while responses carry no address', async () => {
    const app = start();
    const body = request();
    const created = await create(app, body);
    expect(created.body).not.toContain('Market St');
    const label = await app.inject({
      method: 'GET',
      url: shipment(created).labelUrl.replace('http://shipping.test', ''),
    });
    expect(label.statusCode).toBe(200);
    expect(label.headers['content-type']).toContain('application/zpl');
    expect(label.body).toMatch(/^\^XA/);
    expect(label.body).toContain(shipment(created).trackingNumber);
    expect(label.body).toContain('1 Market St');
  });

  it('when the service restarts on the same db file, then shipments and their states are still there', async () => {
    const first = start();
    const body = request();
    const created = shipment(await create(first, body));
    await post(first, `/shipments/${body.shipmentId}/cancel`);
    await stop(first);
    const second = start();
    const res = await second.inject({ method: 'GET', url: `/shipments/${body.shipmentId}` });
    expect(shipment(res)).toMatchObject({ trackingNumber: created.trackingNumber, status: 'cancelled' });
    // And the replay after restart is still the same shipment.
    expect(shipment(await create(second, body)).trackingNumber).toBe(created.trackingNumber);
  });
});

describe('POST /shipments/:id/cancel', () => {
  it('when the label is not yet picked up, then it is cancelled', async () => {
    const app = start();
    const body = request();
    await create(app, body);
    const res = await post(app, `/shipments/${body.shipmentId}/cancel`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ shipmentId: body.shipmentId, status: 'cancelled' });
    expect(shipment(await app.inject({ method: 'GET', url: `/shipments/${body.shipmentId}` })).status).toBe(
      'cancelled',
    );
  });

  it('when cancel is sent twice, then the second is 200 with the same cancellation', async () => {
    const app = start();
    const body = request();
    await create(app, body);
    const first = await post(app, `/shipments/${body.shipmentId}/cancel`);
    const second = await post(app, `/shipments/${body.shipmentId}/cancel`);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
  });

  it('when the parcel is in transit, then it is 409 SHIPMENT_ALREADY_IN_TRANSIT and stays in transit', async () => {
    const app = start();
    const body = request();
    await create(app, body);
    expect(shipment(await post(app, `/shipments/${body.shipmentId}/pickup`)).status).toBe('in_transit');
    const res = await post(app, `/shipments/${body.shipmentId}/cancel`);
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('SHIPMENT_ALREADY_IN_TRANSIT');
    expect(shipment(await app.inject({ method: 'GET', url: `/shipments/${body.shipmentId}` })).status).toBe(
      'in_transit',
    );
  });

  it('when the shipment is unknown, then cancel is 404 SHIPMENT_NOT_FOUND', async () => {
    const res = await post(start(), '/shipments/shp-nope/cancel');
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('SHIPMENT_NOT_FOUND');
  });
});

describe('POST /shipments/:id/pickup', () => {
  it('when pickup is scanned twice, then the second scan is a no-op', async () => {
    const app = start();
    const body = request();
    await create(app, body);
    const first = shipment(await post(app, `/shipments/${body.shipmentId}/pickup`));
    const second = await post(app, `/shipments/${body.shipmentId}/pickup`);
    expect(second.statusCode).toBe(200);
    expect(shipment(second).pickedUpAt).toBe(first.pickedUpAt);
  });

  it('when the shipment was cancelled, then pickup is 409 SHIPMENT_CANCELLED', async () => {
    const app = start();
    const body = request();
    await create(app, body);
    await post(app, `/shipments/${body.shipmentId}/cancel`);
    const res = await post(app, `/shipments/${body.shipmentId}/pickup`);
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('SHIPMENT_CANCELLED');
  });
});

describe('fault injection', () => {
  it('when faults are injected at rate 1, then shipments get 503 INJECTED_FAULT while /healthz stays up', async () => {
    const app = start();
    await app.inject({ method: 'PUT', url: '/admin/faults', payload: { errorRate: 1 } });
    const res = await create(app, request());
    expect(res.statusCode).toBe(503);
    expect(errorCode(res)).toBe('INJECTED_FAULT');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
