import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { appHarness } from '../../test/support/services.ts';
import { type ErrorBody } from '../../platform/errors.ts';
import { buildApp, type NotificationAppOptions } from './app.ts';
import { type SendReceipt } from './notifications.ts';
import { migrations, type Notification } from './store.ts';

const { start, stop, dir } = appHarness<NotificationAppOptions>(
  'notification-service',
  migrations,
  (db, options) => buildApp({ db, logLevel: 'silent', ...options }),
);

let seq = 0;
const request = (overrides: Record<string, unknown> = {}) => ({
  notificationId: `ntf-${++seq}`,
  orderId: 'ord-1',
  customerId: 'cust-42',
  template: 'order_confirmation',
  channel: 'email',
  data: {
    totalCents: 12_345,
    currency: 'USD',
    trackingNumber: 'OFX123456789012',
    carrier: 'orderflow-express',
  },
  ...overrides,
});

const send = (app: FastifyInstance, body: unknown) =>
  app.inject({ method: 'POST', url: '/notifications', payload: body as object });
const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url });
type Response = Awaited<ReturnType<typeof send>>;
const errorCode = (res: Response): string => res.json<ErrorBody>().error.code;
const record = (res: Response): Notification => res.json<Notification>();
const list = (res: Response): Notification[] => res.json<{ notifications: Notification[] }>().notifications;

describe('POST /notifications', () => {
  it('when an order confirmation is sent, then it is 201 sent and the rendered email is recorded', async () => {
    const app = start();
    const body = request();
    const res = await send(app, body);
    expect(res.statusCode).toBe(201);
    const receipt = res.json<SendReceipt>();
    expect(receipt).toEqual({ id: body.notificationId, status: 'sent', sentAt: receipt.sentAt });
    expect(Number.isNaN(Date.parse(receipt.sentAt))).toBe(false);
    const stored = record(await get(app, `/notifications/${body.notificationId}`));
    expect(stored).toMatchObject({
      orderId: 'ord-1',
      customerId: 'cust-42',
      template: 'order_confirmation',
      status: 'sent',
    });
    expect(stored.subject).toBe('Your order ord-1 is confirmed');
    expect(stored.body).toContain('$123.45');
    expect(stored.body).toContain('OFX123456789012');
  });

  it.each([
    [
      'order_failed',
      { reason: 'payment declined', refunded: true },
      'We could not complete your order ord-1',
      'payment declined',
    ],
    ['review_pending', undefined, 'Your order ord-1 is being reviewed', 'manual check'],
  ])(
    'when the %s template is sent, then its subject and body are rendered',
    async (template, data, subject, text) => {
      const app = start();
      const body = request({ template, data });
      expect((await send(app, body)).statusCode).toBe(201);
      const stored = record(await get(app, `/notifications/${body.notificationId}`));
      expect(stored.subject).toBe(subject);
      expect(stored.body).toContain(text);
    },
  );

  it('when the same notificationId is sent again, then it is 200 with the original record and nothing new is sent', async () => {
    const app = start();
    const body = request();
    const first = await send(app, body);
    const again = await send(app, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(list(await get(app, '/notifications?orderId=ord-1'))).toHaveLength(1);
  });

  it('when a notificationId is reused for another message, then it is 409 NOTIFICATION_ID_CONFLICT', async () => {
    const app = start();
    const body = request();
    await send(app, body);
    const res = await send(app, { ...body, template: 'order_failed' });
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('NOTIFICATION_ID_CONFLICT');
  });

  it.each([
    ['an unknown template', { template: 'marketing_blast' }],
    ['the sms channel', { channel: 'sms' }],
    ['no customerId', { customerId: undefined }],
    ['data that is an array', { data: ['x'] }],
    ['a notificationId with a slash', { notificationId: 'a/b' }],
  ])('when the request has %s, then it is 400 VALIDATION_FAILED', async (_what, overrides) => {
    const res = await send(start(), request(overrides));
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('VALIDATION_FAILED');
  });

  it('when the email provider refuses, then it is 502 PROVIDER_UNAVAILABLE, nothing is recorded and a retry sends it', async () => {
    const draws = [0, 0.99];
    const app = start({ providerFailureRate: 0.5, random: () => draws.shift() ?? 0.99 });
    const body = request();
    const failed = await send(app, body);
    expect(failed.statusCode).toBe(502);
    expect(errorCode(failed)).toBe('PROVIDER_UNAVAILABLE');
    expect((await get(app, `/notifications/${body.notificationId}`)).statusCode).toBe(404);
    expect((await send(app, body)).statusCode).toBe(201);
  });
});

describe('privacy', () => {
  const sensitive = {
    totalCents: 500,
    shippingAddress: { line1: '1 Secret Lane', city: 'Springfield', postalCode: '12345', country: 'US' },
    billing_address: '2 Hidden Road, 54321 Shelbyville',
    line1: '3 Loose Street',
    payment: { card: { number: '4242424242424242', cvc: '123', exp_month: 12 }, brand: 'visa' },
    note: 'card 4000 0566 5566 5556 on file',
    reference: '4000-0566-5566-5556',
    items: [{ sku: 'MUG', zip: '99999' }],
    contactEmailAddress: 'ada@example.com',
  };

  it('when data carries addresses or card data, then none of it is stored or rendered, and the removed paths are listed', async () => {
    const app = start();
    const body = request({ data: sensitive });
    await send(app, body);
    const stored = record(await get(app, `/notifications/${body.notificationId}`));
    const text = JSON.stringify(stored);
    for (const secret of [
      'Secret Lane',
      'Hidden Road',
      'Loose Street',
      '4242424242424242',
      '5566',
      '99999',
      '"123"',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(stored.data).toMatchObject({
      totalCents: 500,
      payment: { brand: 'visa' },
      items: [{ sku: 'MUG' }],
    });
    expect(stored.data.contactEmailAddress).toBe('ada@example.com');
    expect(stored.data.note).toBe('card [redacted] on file');
    expect(stored.redactedFields).toEqual(
      expect.arrayContaining([
        'shippingAddress',
        'billing_address',
        'line1',
        'payment.card',
        'note',
        'reference',
        'items[0].zip',
      ]),
    );
  });

  it('when the db file itself is read, then it holds no address or card number either', async () => {
    const app = start();
    await send(app, request({ data: sensitive }));
    await stop(app);
    const bytes = readdirSync(dir())
      .map((f) => readFileSync(join(dir(), f)).toString('latin1'))
      .join('');
    expect(bytes).toContain('ord-1');
    expect(bytes).not.toContain('Secret Lane');
    expect(bytes).not.toContain('4242424242424242');
  });
});

describe('GET /notifications', () => {
  it('when several notifications were sent for an order, then they are listed in the order they were sent', async () => {
    const app = start();
    await send(app, request({ notificationId: 'n-b', template: 'review_pending', data: undefined }));
    await send(app, request({ notificationId: 'n-a', template: 'order_confirmation' }));
    await send(app, request({ notificationId: 'n-other', orderId: 'ord-2' }));
    const res = await get(app, '/notifications?orderId=ord-1');
    expect(res.statusCode).toBe(200);
    expect(list(res).map((n) => [n.id, n.template])).toEqual([
      ['n-b', 'review_pending'],
      ['n-a', 'order_confirmation'],
    ]);
  });

  it('when nothing was sent for the order, then the list is empty', async () => {
    const res = await get(start(), '/notifications?orderId=ord-silent');
    expect(res.statusCode).toBe(200);
    expect(list(res)).toEqual([]);
  });

  it('when orderId is missing, then it is 400 VALIDATION_FAILED', async () => {
    const res = await get(start(), '/notifications');
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('VALIDATION_FAILED');
  });

  it('when the notification is unknown, then it is 404 NOTIFICATION_NOT_FOUND', async () => {
    const res = await get(start(), '/notifications/ntf-nope');
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('NOTIFICATION_NOT_FOUND');
  });

  it('when the service restarts on the same db file, then sent notifications are still listed and not resent', async () => {
    const first = start();
    const body = request();
    const receipt = (await send(first, body)).json<SendReceipt>();
    await stop(first);
    const second = start();
    expect(list(await get(second, '/notifications?orderId=ord-1')).map((n) => n.id)).toEqual([
      body.notificationId,
    ]);
    const again = await send(second, body);
    expect(again.statusCode).toBe(200);
    expect(again.json<SendReceipt>()).toEqual(receipt);
  });
});

describe('fault injection', () => {
  it('when faults are injected at rate 1, then sends get 503 INJECTED_FAULT while /healthz stays up', async () => {
    const app = start();
    await app.inject({ method: 'PUT', url: '/admin/faults', payload: { errorRate: 1 } });
    const res = await send(app, request());
    expect(res.statusCode).toBe(503);
    expect(errorCode(res)).toBe('INJECTED_FAULT');
    expect((await get(app, '/healthz')).statusCode).toBe(200);
  });
});
