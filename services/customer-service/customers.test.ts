import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FastifyInstance } from 'fastify';
import { type Database, openDatabase } from '../../platform/sqlite.ts';
import { buildApp } from './app.ts';
import { type CustomerView } from './customers.ts';
import { seed } from './seed.ts';
import { migrations } from './store.ts';
import { tempDir, type TempDir } from '../../test/support/services.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

describe('customer-service', () => {
  let dir: TempDir;
  let db: Database;
  let app: FastifyInstance;

  const open = (): void => {
    db = openDatabase(dir.file('customer-service.db'), migrations);
    app = buildApp({ db, now: () => new Date('2026-03-01T12:00:00Z'), logLevel: 'silent' });
  };
  const close = async (): Promise<void> => {
    await app.close();
    db.close();
  };

  beforeEach(() => {
    dir = tempDir('customer-service');
    open();
    seed(db);
  });
  afterEach(async () => {
    await close();
    dir.remove();
  });

  const getCustomer = (id: string) => app.inject({ method: 'GET', url: `/customers/${id}` });

  it('when an active customer is looked up, then they are eligible with their tier', async () => {
    const res = await getCustomer('cust-alice');
    expect(res.statusCode).toBe(200);
    expect(res.json<CustomerView>()).toEqual({
      id: 'cust-alice',
      name: 'Alice Archer',
      email: 'alice@example.com',
      tier: 'gold',
      status: 'active',
      eligible: true,
    });
  });

  it('when a blocked customer is looked up, then they are not eligible and the reason is given', async () => {
    const body = (await getCustomer('cust-blocked')).json<CustomerView>();
    expect(body).toMatchObject({
      status: 'blocked',
      eligible: false,
      reason: 'account blocked: chargeback history',
    });
  });

  it('when the fraudster is looked up, then the customer service still finds them eligible', async () => {
    const body = (await getCustomer('cust-fraudster')).json<CustomerView>();
    expect(body).toMatchObject({ status: 'active', eligible: true });
    expect(body.reason).toBeUndefined();
  });

  it('when every seeded customer is looked up, then each one exists', async () => {
    const ids = ['cust-alice', 'cust-bob', 'cust-carol', 'cust-dave', 'cust-blocked', 'cust-fraudster'];
    const statuses = await Promise.all(ids.map(async (id) => (await getCustomer(id)).statusCode));
    expect(statuses).toEqual(ids.map(() => 200));
  });

  it('when an unknown customer is looked up, then 404 CUSTOMER_NOT_FOUND', async () => {
    const res = await getCustomer('cust-nobody');
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorBody>().error.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('when the seed runs again, then it inserts nothing', () => {
    expect(seed(db)).toBe(0);
  });

  it('when a customer is created, then it is returned with 201 and can be read back', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/customers',
      payload: { id: 'cust-erin', name: 'Erin Ellis', email: 'erin@example.com' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<CustomerView>()).toMatchObject({
      id: 'cust-erin',
      tier: 'standard',
      status: 'active',
      eligible: true,
    });
    expect((await getCustomer('cust-erin')).json<CustomerView>().email).toBe('erin@example.com');
  });

  it('when a customer is created without an id, then one is generated', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/customers',
      payload: { name: 'Gus', email: 'gus@example.com' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<CustomerView>().id).toMatch(/^cust-[0-9a-f-]{36}$/);
  });

  it('when a customer is created blocked without a reason, then a default reason is given', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/customers',
      payload: { name: 'Hal', email: 'hal@example.com', status: 'blocked' },
    });
    expect(res.json<CustomerView>()).toMatchObject({ eligible: false, reason: 'account blocked' });
  });

  it('when a customer is created with an existing id, then 409 CUSTOMER_EXISTS', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/customers',
      payload: { id: 'cust-alice', name: 'Another Alice', email: 'alice2@example.com' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error).toMatchObject({ code: 'CUSTOMER_EXISTS', details: { field: 'id' } });
  });

  it('when a customer is created with an email already in use (any case), then 409 CUSTOMER_EXISTS', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/customers',
      payload: { name: 'Bob 2', email: 'BOB@example.com' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error).toMatchObject({
      code: 'CUSTOMER_EXISTS',
      details: { field: 'email' },
    });
  });

  it('when a customer is blocked and unblocked, then eligibility and reason follow', async () => {
    const blocked = await app.inject({
      method: 'PATCH',
      url: '/customers/cust-bob',
      payload: { status: 'blocked', reason: 'account blocked: manual review' },
    });
    expect(blocked.json<CustomerView>()).toMatchObject({
      eligible: false,
      reason: 'account blocked: manual review',
    });

    const unblocked = await app.inject({
      method: 'PATCH',
      url: '/customers/cust-bob',
      payload: { status: 'active' },
    });
    const body = unblocked.json<CustomerView>();
    expect(body).toMatchObject({ status: 'active', eligible: true });
    expect(body.reason).toBeUndefined();
  });

  it('when an unknown customer is changed, then 404 CUSTOMER_NOT_FOUND', async () => {
    const res = await app.inject({
      method: 'PATCH',
      url: '/customers/cust-nobody',
      payload: { tier: 'gold' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorBody>().error.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it.each([
    ['no body', undefined],
    ['a missing email', { name: 'No Email' }],
    ['a malformed email', { name: 'Bad', email: 'not-an-email' }],
    ['an unknown tier', { name: 'T', email: 't@example.com', tier: 'platinum' }],
    ['an id with a slash', { id: 'a/b', name: 'S', email: 's@example.com' }],
    ['a reason on an active account', { name: 'R', email: 'r@example.com', reason: 'why' }],
    ['an array body', [1, 2]],
  ])('when a customer is created with %s, then 400 VALIDATION_FAILED', async (_what, payload) => {
    const res = await app.inject({
      method: 'POST',
      url: '/customers',
      ...(payload === undefined ? {} : { payload }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });

  it('when a change has no fields, then 400 VALIDATION_FAILED', async () => {
    const res = await app.inject({ method: 'PATCH', url: '/customers/cust-bob', payload: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });

  it('when a customer id is malformed, then 400 VALIDATION_FAILED', async () => {
    const res = await getCustomer('bad%20id');
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });

  it('when the body is not JSON, then 400 and not 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/customers',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('INVALID_JSON');
  });

  it('when the database is closed and reopened, then created and changed customers are still there', async () => {
    await app.inject({
      method: 'POST',
      url: '/customers',
      payload: { id: 'cust-ivy', name: 'Ivy', email: 'ivy@example.com' },
    });
    await app.inject({
      method: 'PATCH',
      url: '/customers/cust-dave',
      payload: { status: 'blocked', reason: 'account blocked: test' },
    });
    await close();

    open();
    expect(seed(db)).toBe(0);
    expect((await getCustomer('cust-ivy')).statusCode).toBe(200);
    expect((await getCustomer('cust-dave')).json<CustomerView>()).toMatchObject({
      eligible: false,
      reason: 'account blocked: test',
    });
  });

  it('when faults are injected at rate 1, then business routes answer 503 INJECTED_FAULT and /healthz does not', async () => {
    const set = await app.inject({ method: 'PUT', url: '/admin/faults', payload: { errorRate: 1 } });
    expect(set.statusCode).toBe(200);

    const res = await getCustomer('cust-alice');
    expect(res.statusCode).toBe(503);
    expect(res.json<ErrorBody>().error.code).toBe('INJECTED_FAULT');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

    await app.inject({ method: 'DELETE', url: '/admin/faults' });
    expect((await getCustomer('cust-alice')).statusCode).toBe(200);
  });
});
