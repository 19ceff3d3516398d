// The legacy pipeline's HTTP client against a real local server: per-call timeout, the checkout deadline on
// top, and the failure catalogue's classification of what a service answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { FailureType } from '../../contracts/failures.ts';
import { CallFailure, jsonClient } from './client.ts';
import { Deadline } from './deadline.ts';

let server: FastifyInstance;
let base: string;

beforeAll(async () => {
  server = Fastify({ forceCloseConnections: true }); // aborted requests leave keep-alive sockets behind
  server.get('/slow/:ms', async (req) => {
    await new Promise((r) => setTimeout(r, Number((req.params as { ms: string }).ms)));
    return { ok: true };
  });
  server.post('/stock', async (_req, reply) =>
    reply.status(409).send({ error: { code: 'INSUFFICIENT_STOCK', message: 'sold out' } }),
  );
  server.get('/broken', async (_req, reply) => reply.status(503).send('upstream gone'));
  await server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
});
afterAll(() => server.close());

const failureOf = async (p: Promise<unknown>): Promise<CallFailure> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof CallFailure) return err;
    throw err;
  }
  throw new Error('the call succeeded');
};

describe('jsonClient', () => {
  it('when the service answers in time, then its JSON comes back', async () => {
    const c = jsonClient('svc', base, 1000);
    await expect(c.get('/slow/10', new Deadline(5000))).resolves.toEqual({ ok: true });
  });

  it('when the service is slower than the call timeout, then a technical failure that is not the deadline', async () => {
    const f = await failureOf(jsonClient('svc', base, 100).get('/slow/400', new Deadline(5000)));
    expect(f.deadlineExceeded).toBe(false);
    expect(f.decision.type).toBe(FailureType.downstreamUnavailable);
    expect(f.message).toMatch(/no answer within the 100 ms call timeout/);
  });

  it('when the checkout deadline is nearer than the call timeout, then the deadline cuts the call', async () => {
    const started = Date.now();
    const f = await failureOf(jsonClient('svc', base, 5000).get('/slow/1000', new Deadline(150)));
    expect(f.deadlineExceeded).toBe(true);
    expect(f.message).toMatch(/checkout deadline passed before svc answered/);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('when the deadline has already passed, then no call is made', async () => {
    const f = await failureOf(jsonClient('svc', base, 5000).get('/slow/0', new Deadline(0)));
    expect(f.deadlineExceeded).toBe(true);
  });

  it('when the service declines with a catalogue code, then the decline type, not retryable', async () => {
    const f = await failureOf(
      jsonClient('inventory-service', base, 1000).post('/stock', {}, new Deadline(5000)),
    );
    expect(f.decision).toMatchObject({ type: FailureType.insufficientStock, retryable: false });
  });

  it('when the service answers 503 with no JSON, then DownstreamUnavailable with the raw text', async () => {
    const f = await failureOf(jsonClient('svc', base, 1000).get('/broken', new Deadline(5000)));
    expect(f.decision.type).toBe(FailureType.downstreamUnavailable);
    expect(f.message).toMatch(/503.*upstream gone/);
  });

  it('when nothing listens, then a connection failure', async () => {
    const f = await failureOf(jsonClient('svc', 'http://127.0.0.1:1', 1000).get('/', new Deadline(5000)));
    expect(f.decision.type).toBe(FailureType.downstreamUnavailable);
    expect(f.deadlineExceeded).toBe(false);
  });
});

describe('Deadline', () => {
  it('caps a call at what is left and says when the deadline, not the call timeout, binds', () => {
    let now = 1000;
    const d = new Deadline(10_000, () => now);
    expect(d.budget(5000)).toEqual({ ms: 5000, deadlineBound: false });
    now = 8000;
    expect(d.budget(5000)).toEqual({ ms: 3000, deadlineBound: true });
    expect(d.expired).toBe(false);
    now = 11_000;
    expect(d.remainingMs()).toBe(0);
    expect(d.expired).toBe(true);
  });
});
