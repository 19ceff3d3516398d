import { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { appHarness } from '../../test/support/services.ts';
import { type ErrorBody } from '../../platform/errors.ts';
import { type AdmissionStats } from './admission.ts';
import { buildApp, type FraudAppOptions } from './app.ts';
import { type AssessmentView } from './assessments.ts';
import { migrations } from './store.ts';

const { start, stop } = appHarness<FraudAppOptions>('fraud-service', migrations, (db, options) =>
  buildApp({ db, inferenceIterations: 50, logLevel: 'silent', ...options }),
);

const order = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  orderId: `ord-${Math.random().toString(36).slice(2, 10)}`,
  customerId: 'cust-42',
  amountCents: 4_999,
  itemCount: 2,
  country: 'US',
  paymentMethod: 'pm_card_visa',
  ...overrides,
});

const assess = (app: FastifyInstance, body: unknown) =>
  app.inject({ method: 'POST', url: '/assessments', payload: body as object });

type Response = Awaited<ReturnType<typeof assess>>;
const errorCode = (res: Response): string => res.json<ErrorBody>().error.code;
const modelStats = async (app: FastifyInstance): Promise<AdmissionStats> =>
  (await app.inject({ method: 'GET', url: '/admin/model' })).json<AdmissionStats>();

describe('POST /assessments', () => {
  it('when a normal demo order is assessed, then it is approved with a score and the model version', async () => {
    const app = start();
    const body = order();
    const res = await assess(app, body);
    expect(res.statusCode).toBe(200);
    const a = res.json<AssessmentView>();
    expect(a).toMatchObject({
      orderId: body.orderId,
      decision: 'approve',
      reasons: [],
      modelVersion: 'fraud-deq-2024.11.1',
    });
    expect(a.assessmentId).toMatch(/^fa_/);
    expect(a.score).toBeGreaterThanOrEqual(0);
    expect(a.score).toBeLessThan(0.9);
    expect(Math.round(a.score * 1000) / 1000).toBe(a.score);
  });

  it('when the customer is on the deny list, then the order is rejected', async () => {
    const res = await assess(start(), order({ customerId: 'cust-fraudster' }));
    expect(res.statusCode).toBe(200);
    expect(res.json<AssessmentView>()).toMatchObject({
      decision: 'reject',
      reasons: ['customer on deny list'],
    });
  });

  it('when the amount is 10,000.00 or more, then the order is rejected', async () => {
    const res = await assess(start(), order({ amountCents: 1_000_000 }));
    expect(res.json<AssessmentView>()).toMatchObject({
      decision: 'reject',
      reasons: ['order value above limit'],
    });
  });

  it('when the amount is 2,000.00 or more, then the order goes to review', async () => {
    const app = start();
    expect((await assess(app, order({ amountCents: 200_000 }))).json<AssessmentView>()).toMatchObject({
      decision: 'review',
      reasons: ['high order value'],
    });
    expect((await assess(app, order({ amountCents: 199_999 }))).json<AssessmentView>()).toMatchObject({
      decision: 'approve',
    });
  });

  it('when the payment method is flagged as fraudulent, then the order goes to review', async () => {
    const res = await assess(start(), order({ paymentMethod: 'pm_card_chargeDeclinedFraudulent' }));
    expect(res.json<AssessmentView>()).toMatchObject({
      decision: 'review',
      reasons: ['payment method flagged as fraudulent'],
    });
  });

  it('when the model scores the order at 0.9 or more, then it goes to review', async () => {
    const res = await assess(
      start(),
      order({ country: 'BR', paymentMethod: 'pm_card_riskLevelHighest', itemCount: 20, amountCents: 50_000 }),
    );
    const a = res.json<AssessmentView>();
    expect(a.score).toBeGreaterThanOrEqual(0.9);
    expect(a).toMatchObject({ decision: 'review', reasons: ['model score above review threshold'] });
  });

  it('when several rules match, then the most severe decision wins and every reason is listed', async () => {
    const res = await assess(start(), order({ customerId: 'cust-fraudster', amountCents: 250_000 }));
    expect(res.json<AssessmentView>()).toMatchObject({
      decision: 'reject',
      reasons: ['customer on deny list', 'high order value'],
    });
  });

  it('when the same orderId is assessed again, then the stored assessment is returned without a second inference', async () => {
    const app = start();
    const body = order();
    const first = (await assess(app, body)).json<AssessmentView>();
    // Different inputs under the same orderId prove the answer comes from the store, not the model.
    const again = await assess(app, { ...body, customerId: 'cust-fraudster' });
    expect(again.statusCode).toBe(200);
    expect(again.json<AssessmentView>()).toEqual(first);
    expect(await modelStats(app)).toMatchObject({ completed: 1 });
  });

  it('when the same orderId arrives concurrently, then both get one assessment from one inference', async () => {
    const app = start();
    const body = order();
    const [a, b] = await Promise.all([assess(app, body), assess(app, body)]);
    expect(a.json<AssessmentView>()).toEqual(b.json<AssessmentView>());
    expect(await modelStats(app)).toMatchObject({ completed: 1 });
  });

  it.each([
    ['a missing field', { customerId: undefined }],
    ['a fractional amount', { amountCents: 10.5 }],
    ['a negative amount', { amountCents: -1 }],
    ['an amount as a string', { amountCents: '100' }],
    ['zero items', { itemCount: 0 }],
    ['a three-letter country', { country: 'USA' }],
    ['an empty payment method', { paymentMethod: '' }],
    ['an orderId with a slash', { orderId: 'a/b' }],
  ])('when the request has %s, then it is 400 VALIDATION_FAILED', async (_what, overrides) => {
    const res = await assess(start(), order(overrides));
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('VALIDATION_FAILED');
  });

  it('when the body is not JSON at all, then it is a 400, not a 500', async () => {
    const res = await start().inject({
      method: 'POST',
      url: '/assessments',
      headers: { 'content-type': 'application/json' },
      payload: '{"orderId":',
    });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('INVALID_JSON');
  });
});

describe('GET /assessments/:orderId', () => {
  it('when the order was assessed, then the stored assessment is returned', async () => {
    const app = start();
    const created = (await assess(app, order({ orderId: 'ord-get-1' }))).json<AssessmentView>();
    const res = await app.inject({ method: 'GET', url: '/assessments/ord-get-1' });
    expect(res.statusCode).toBe(200);
    expect(res.json<AssessmentView>()).toEqual(created);
  });

  it('when the order was never assessed, then it is 404 ASSESSMENT_NOT_FOUND', async () => {
    const res = await start().inject({ method: 'GET', url: '/assessments/ord-unknown' });
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('ASSESSMENT_NOT_FOUND');
  });

  it('when the service restarts on the same db file, then the assessment is still there', async () => {
    const first = start();
    const created = (await assess(first, order({ orderId: 'ord-durable' }))).json<AssessmentView>();
    await stop(first);
    const second = start();
    const res = await second.inject({ method: 'GET', url: '/assessments/ord-durable' });
    expect(res.json<AssessmentView>()).toEqual(created);
    // And the restarted service still treats it as done: no new inference.
    expect((await assess(second, order({ orderId: 'ord-durable' }))).json<AssessmentView>()).toEqual(created);
    expect(await modelStats(second)).toMatchObject({ completed: 0 });
  });
});

describe('POST /assessments/:orderId/review', () => {
  const review = (app: FastifyInstance, orderId: string, body: unknown) =>
    app.inject({ method: 'POST', url: `/assessments/${orderId}/review`, payload: body as object });

  it('when a reviewer decides on an assessed order, then the outcome is stored with the assessment', async () => {
    const app = start();
    await assess(app, order({ orderId: 'ord-rev-1', amountCents: 300_000 }));
    const res = await review(app, 'ord-rev-1', { decision: 'approve', reviewer: 'analyst@shop' });
    expect(res.statusCode).toBe(200);
    expect(res.json<AssessmentView>()).toMatchObject({
      orderId: 'ord-rev-1',
      decision: 'review',
      review: { decision: 'approve', reviewer: 'analyst@shop' },
    });
    expect(
      (await app.inject({ method: 'GET', url: '/assessments/ord-rev-1' })).json<AssessmentView>().review
        ?.decision,
    ).toBe('approve');
  });

  it('when the same review is sent twice, then the second call returns the recorded one', async () => {
    const app = start();
    await assess(app, order({ orderId: 'ord-rev-2' }));
    const first = await review(app, 'ord-rev-2', { decision: 'reject', reviewer: 'analyst' });
    const second = await review(app, 'ord-rev-2', { decision: 'reject', reviewer: 'analyst' });
    expect(second.statusCode).toBe(200);
    expect(second.json<AssessmentView>()).toEqual(first.json<AssessmentView>());
  });

  it('when a different outcome is sent for an already reviewed order, then it is 409 REVIEW_ALREADY_RECORDED', async () => {
    const app = start();
    await assess(app, order({ orderId: 'ord-rev-3' }));
    await review(app, 'ord-rev-3', { decision: 'reject', reviewer: 'analyst' });
    const res = await review(app, 'ord-rev-3', { decision: 'approve', reviewer: 'analyst' });
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('REVIEW_ALREADY_RECORDED');
  });

  it('when the order has no assessment, then it is 404 ASSESSMENT_NOT_FOUND', async () => {
    const res = await review(start(), 'ord-none', { decision: 'approve', reviewer: 'analyst' });
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('ASSESSMENT_NOT_FOUND');
  });

  it('when the review decision is not approve or reject, then it is 400 VALIDATION_FAILED', async () => {
    const app = start();
    await assess(app, order({ orderId: 'ord-rev-4' }));
    const res = await review(app, 'ord-rev-4', { decision: 'review', reviewer: 'analyst' });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('VALIDATION_FAILED');
  });

  it('when the review survives a restart, then it is still attached to the assessment', async () => {
    const first = start();
    await assess(first, order({ orderId: 'ord-rev-5' }));
    await review(first, 'ord-rev-5', { decision: 'approve', reviewer: 'analyst' });
    await stop(first);
    const res = await start().inject({ method: 'GET', url: '/assessments/ord-rev-5' });
    expect(res.json<AssessmentView>().review).toMatchObject({ decision: 'approve', reviewer: 'analyst' });
  });
});

describe('load and faults', () => {
  it('when more assessments arrive than the queue holds, then the excess gets 503 OVERLOADED with Retry-After', async () => {
    const app = start({ maxQueue: 2, inferenceIterations: 2_000 });
    const results = await Promise.all(Array.from({ length: 8 }, () => assess(app, order())));
    const overloaded = results.filter((r) => r.statusCode === 503);
    const served = results.filter((r) => r.statusCode === 200);
    expect(served.length).toBeGreaterThanOrEqual(2);
    expect(overloaded.length).toBeGreaterThanOrEqual(1);
    expect(served.length + overloaded.length).toBe(8);
    for (const r of overloaded) {
      expect(errorCode(r)).toBe('OVERLOADED');
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // Once the burst has drained, the service takes work again.
    expect((await assess(app, order())).statusCode).toBe(200);
  });

  it('when faults are injected at rate 1, then assessments get 503 INJECTED_FAULT while /healthz stays up', async () => {
    const app = start();
    const put = await app.inject({ method: 'PUT', url: '/admin/faults', payload: { errorRate: 1 } });
    expect(put.statusCode).toBe(200);
    const res = await assess(app, order());
    expect(res.statusCode).toBe(503);
    expect(errorCode(res)).toBe('INJECTED_FAULT');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.inject({ method: 'DELETE', url: '/admin/faults' });
    expect((await assess(app, order())).statusCode).toBe(200);
  });

  it('when the database is open, then /readyz reports ready', async () => {
    const res = await start().inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
  });
});
