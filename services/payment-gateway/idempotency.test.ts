// Idempotency-Key semantics, through the real SDK where it can show them: replays, mismatches, requests
// in flight, scoping, expiry, and the SDK's own retry after a lost response.
import { createServer, type Server, type Socket, connect } from 'node:net';
import type * as timers from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Stripe from 'stripe';
import { auth, form, type Gateway, serverSide, startGateway } from '../../test/support/payment-gateway.ts';

/**
 * The gateway's simulated processing time (processingDelayMs) is a sleep from node:timers/promises. While
 * `processing.gated`, that sleep is a gate instead: a POST that got its key stays in flight until the test
 * opens it, so the tests of requests in flight wait on events, not on the real clock.
 */
const processing = vi.hoisted(() => {
  let held: (() => void)[] = [];
  let onHeld: (() => void)[] = [];
  return {
    gated: false,
    /** The gated sleep: parked until open(). */
    hold(): Promise<void> {
      return new Promise<void>((resolve) => {
        held.push(resolve);
        for (const notify of onHeld.splice(0)) notify();
      });
    },
    /** Resolves once `n` requests are parked in processing (holding their keys). */
    async inFlight(n: number): Promise<void> {
      while (held.length < n) await new Promise<void>((resolve) => onHeld.push(resolve));
    },
    /** Lets every parked request finish. */
    open(): void {
      for (const resolve of held.splice(0)) resolve();
    },
    reset(): void {
      this.gated = false;
      this.open();
      onHeld = [];
      held = [];
    },
  };
});
vi.mock('node:timers/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof timers>();
  return {
    ...actual,
    setTimeout: <T>(delay?: number, value?: T, options?: Parameters<typeof actual.setTimeout>[2]) =>
      processing.gated ? processing.hold().then(() => value as T) : actual.setTimeout(delay, value, options),
  };
});

const gateways: Gateway[] = [];
async function gateway(options: Parameters<typeof startGateway>[0] = {}): Promise<Gateway> {
  const gw = await startGateway(options);
  gateways.push(gw);
  return gw;
}
afterEach(async () => {
  processing.reset();
  await Promise.all(gateways.splice(0).map((gw) => gw.close()));
});

/** An SDK client of `gw` that retries on its own and reports every HTTP status it gets, retried ones too. */
function observedClient(gw: Gateway, onStatus: (status: number) => void): Stripe {
  const http = Stripe.createNodeHttpClient();
  const observed: NonNullable<Stripe.StripeConfig['httpClient']> = {
    getClientName: () => http.getClientName(),
    makeRequest: (...args: Parameters<typeof http.makeRequest>) =>
      http.makeRequest(...args).then((res) => {
        onStatus(res.getStatusCode());
        return res;
      }),
  };
  return new Stripe('sk_test_orderflow', {
    host: '127.0.0.1',
    port: gw.port,
    protocol: 'http',
    maxNetworkRetries: 3,
    telemetry: false,
    httpClient: observed,
  });
}

const createParams: Stripe.PaymentIntentCreateParams = {
  amount: 4999,
  currency: 'usd',
  payment_method: 'pm_card_visa',
  confirm: true,
  capture_method: 'manual',
  metadata: { order_id: 'order-7' },
  ...serverSide,
};

async function failure(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Stripe.errors.StripeError);
  return err as Stripe.errors.StripeError;
}

const count = async (stripe: Stripe): Promise<number> =>
  (await stripe.paymentIntents.list({ limit: 100 })).data.length;

describe('idempotent requests', () => {
  it('when a create is retried with the same key and parameters, then the stored response is replayed and no second intent exists', async () => {
    const gw = await gateway();
    const stripe = gw.stripe();
    const first = await stripe.paymentIntents.create(createParams, { idempotencyKey: 'wf-order-7-charge' });
    const again = await stripe.paymentIntents.create(createParams, { idempotencyKey: 'wf-order-7-charge' });
    expect(again.id).toBe(first.id);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(again.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
    expect(again.lastResponse.requestId).not.toBe(first.lastResponse.requestId);
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(await count(stripe)).toBe(1);
    const charges = await gw.app.inject({
      method: 'GET',
      url: `/v1/charges/${first.latest_charge as string}`,
      headers: auth,
    });
    expect(charges.statusCode).toBe(200);
  });

  it('when a replayed intent has changed since, then the replay still shows the response as it was', async () => {
    const gw = await gateway();
    const stripe = gw.stripe();
    const first = await stripe.paymentIntents.create(createParams, { idempotencyKey: 'k-snapshot' });
    await stripe.paymentIntents.capture(first.id);
    const again = await stripe.paymentIntents.create(createParams, { idempotencyKey: 'k-snapshot' });
    expect(again.status).toBe('requires_capture');
    expect((await stripe.paymentIntents.retrieve(first.id)).status).toBe('succeeded');
  });

  it('when the same key comes with other parameters, then it is a 400 idempotency_error and nothing is created', async () => {
    const gw = await gateway();
    const stripe = gw.stripe();
    await stripe.paymentIntents.create(createParams, { idempotencyKey: 'k-params' });
    const err = await failure(
      stripe.paymentIntents.create({ ...createParams, amount: 5000 }, { idempotencyKey: 'k-params' }),
    );
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(err).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
    expect(err.message).toMatch(/can only be used with the same parameters/);
    expect(await count(stripe)).toBe(1);
  });

  it('when parameters come in another order, then they are still the same parameters', async () => {
    const gw = await gateway();
    const a = await gw.app.inject({
      method: 'POST',
      url: '/v1/payment_intents',
      headers: { ...auth, 'idempotency-key': 'k-order' },
      payload: 'amount=900&currency=usd&metadata[a]=1&metadata[b]=2',
    });
    const b = await gw.app.inject({
      method: 'POST',
      url: '/v1/payment_intents',
      headers: { ...auth, 'idempotency-key': 'k-order' },
      payload: 'metadata[b]=2&currency=usd&metadata[a]=1&amount=900',
    });
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body).toBe(a.body);
  });

  it('when the same key is used on another endpoint, then it is an idempotency_error', async () => {
    const gw = await gateway();
    const stripe = gw.stripe();
    const pi = await stripe.paymentIntents.create(createParams, { idempotencyKey: 'k-endpoint' });
    const err = await failure(stripe.paymentIntents.capture(pi.id, {}, { idempotencyKey: 'k-endpoint' }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(err.message).toMatch(/same endpoint/);
  });

  it('when a declined create is retried with the same key, then the same 402 is replayed and no second charge is attempted', async () => {
    const gw = await gateway();
    const stripe = gw.stripe();
    const params = { ...createParams, payment_method: 'pm_card_chargeDeclinedInsufficientFunds' };
    const first = await failure(stripe.paymentIntents.create(params, { idempotencyKey: 'k-decline' }));
    const again = await failure(stripe.paymentIntents.create(params, { idempotencyKey: 'k-decline' }));
    expect(again).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(again).toMatchObject({
      statusCode: 402,
      decline_code: 'insufficient_funds',
      charge: first.charge,
    });
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect(await count(stripe)).toBe(1);
  });

  it('when the parameters fail validation, then nothing is stored and the key can be retried with fixed parameters', async () => {
    const gw = await gateway();
    const stripe = gw.stripe();
    const err = await failure(
      stripe.paymentIntents.create(
        { ...createParams, amount: 'lots' as unknown as number },
        { idempotencyKey: 'k-fix' },
      ),
    );
    expect(err).toMatchObject({ statusCode: 400, code: 'parameter_invalid_integer' });
    const fixed = await stripe.paymentIntents.create(createParams, { idempotencyKey: 'k-fix' });
    expect(fixed.status).toBe('requires_capture');
    expect(fixed.lastResponse.headers['idempotent-replayed']).toBeUndefined();
  });

  it('when confirm and capture are retried with their keys, then each happens once', async () => {
    const gw = await gateway();
    const stripe = gw.stripe();
    const pi = await stripe.paymentIntents.create({
      amount: 3000,
      currency: 'usd',
      capture_method: 'manual',
      ...serverSide,
    });
    const c1 = await stripe.paymentIntents.confirm(
      pi.id,
      { payment_method: 'pm_card_visa' },
      { idempotencyKey: `${pi.id}-confirm` },
    );
    const c2 = await stripe.paymentIntents.confirm(
      pi.id,
      { payment_method: 'pm_card_visa' },
      { idempotencyKey: `${pi.id}-confirm` },
    );
    expect(c2.latest_charge).toBe(c1.latest_charge);
    const k1 = await stripe.paymentIntents.capture(pi.id, {}, { idempotencyKey: `${pi.id}-capture` });
    const k2 = await stripe.paymentIntents.capture(pi.id, {}, { idempotencyKey: `${pi.id}-capture` });
    expect([k1.status, k2.status]).toEqual(['succeeded', 'succeeded']);
    expect(k2.lastResponse.headers['idempotent-replayed']).toBe('true');
    // Without the key, a second capture is a real second attempt, and Stripe refuses it.
    expect(await failure(stripe.paymentIntents.capture(pi.id))).toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
  });

  it('when a refund is retried with its key, then only one refund exists', async () => {
    const gw = await gateway();
    const stripe = gw.stripe();
    const pi = await stripe.paymentIntents.create({ ...createParams, capture_method: 'automatic' });
    const r1 = await stripe.refunds.create(
      { payment_intent: pi.id, amount: 1000 },
      { idempotencyKey: `${pi.id}-refund` },
    );
    const r2 = await stripe.refunds.create(
      { payment_intent: pi.id, amount: 1000 },
      { idempotencyKey: `${pi.id}-refund` },
    );
    expect(r2.id).toBe(r1.id);
    expect((await stripe.refunds.list({ payment_intent: pi.id })).data).toHaveLength(1);
  });

  it('when two requests with one key arrive together, then one intent is created and the other gets its replay', async () => {
    const gw = await gateway();
    const stripe = gw.stripe();
    const [a, b] = await Promise.all([
      stripe.paymentIntents.create(createParams, { idempotencyKey: 'k-race' }),
      stripe.paymentIntents.create(createParams, { idempotencyKey: 'k-race' }),
    ]);
    expect(a.id).toBe(b.id);
    expect([a, b].filter((p) => p.lastResponse.headers['idempotent-replayed'] === 'true')).toHaveLength(1);
    expect(await count(stripe)).toBe(1);
  });

  it('when a request arrives while the first with its key is in flight, then it gets 409 idempotency_key_in_use', async () => {
    const gw = await gateway({ processingDelayMs: 1 }); // any delay: the gate decides how long it lasts
    processing.gated = true;
    const stripe = gw.stripe();
    const first = stripe.paymentIntents.create(createParams, { idempotencyKey: 'k-inflight' });
    await processing.inFlight(1); // the first holds the key
    const second = await failure(
      stripe.paymentIntents.create(createParams, { idempotencyKey: 'k-inflight' }),
    );
    expect(second).toMatchObject({ statusCode: 409, code: 'idempotency_key_in_use' });
    processing.open();
    const created = await first;
    expect(created.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(await count(stripe)).toBe(1);
  });

  it('when the SDK retries a 409 on its own, then it ends with the replay of the one intent', async () => {
    const gw = await gateway({ processingDelayMs: 1 });
    processing.gated = true;
    // Once the second has been told 409, the first may finish: the SDK's retry then gets its replay.
    const statuses: number[] = [];
    const retrying = observedClient(gw, (status) => {
      statuses.push(status);
      if (status === 409) processing.open();
    });
    const first = retrying.paymentIntents.create(createParams, { idempotencyKey: 'k-sdk-409' });
    await processing.inFlight(1); // the first holds the key
    const b = await retrying.paymentIntents.create(createParams, { idempotencyKey: 'k-sdk-409' });
    const a = await first;
    // The second's 409 first, then the first's answer and the retry's replay (a retry sent while the first
    // was still finishing would be one more 409).
    expect(statuses[0]).toBe(409);
    expect(statuses.filter((status) => status !== 409)).toEqual([200, 200]);
    expect(b.id).toBe(a.id);
    expect(a.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(b.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(await count(retrying)).toBe(1);
  });

  it('when the response is lost on the way back, then the SDK retries with its own key and gets the replay, not a second charge', async () => {
    const gw = await gateway();
    const proxy = await dropFirstResponse(gw.port);
    try {
      const stripe = new Stripe('sk_test_orderflow', {
        host: '127.0.0.1',
        port: proxy.port,
        protocol: 'http',
        maxNetworkRetries: 2,
        telemetry: false,
      });
      const pi = await stripe.paymentIntents.create(createParams);
      expect(proxy.dropped()).toBe(1);
      expect(pi.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(pi.lastResponse.idempotencyKey).toMatch(/^stripe-node-retry-/);
      const all = await gw.stripe().paymentIntents.list();
      expect(all.data.map((p) => p.id)).toEqual([pi.id]);
    } finally {
      await proxy.close();
    }
  });

  it('when two API keys use the same idempotency key, then they do not collide', async () => {
    const gw = await gateway();
    const a = await gw
      .stripe({ key: 'sk_test_team_a' })
      .paymentIntents.create(createParams, { idempotencyKey: 'shared' });
    const b = await gw
      .stripe({ key: 'sk_test_team_b' })
      .paymentIntents.create({ ...createParams, amount: 100 }, { idempotencyKey: 'shared' });
    expect(b.id).not.toBe(a.id);
    expect(b.amount).toBe(100);
  });

  it('when 24 hours have passed, then the key is forgotten and may be used for a new request', async () => {
    let now = Date.UTC(2030, 0, 1);
    const gw = await gateway({ clock: () => now });
    const stripe = gw.stripe();
    const first = await stripe.paymentIntents.create(createParams, { idempotencyKey: 'k-day' });
    now += 23 * 3600_000;
    expect(
      (
        await failure(
          stripe.paymentIntents.create({ ...createParams, amount: 700 }, { idempotencyKey: 'k-day' }),
        )
      ).rawType,
    ).toBe('idempotency_error');
    now += 3600_000;
    const later = await stripe.paymentIntents.create(
      { ...createParams, amount: 700 },
      { idempotencyKey: 'k-day' },
    );
    expect(later.id).not.toBe(first.id);
    expect(later.created - first.created).toBe(24 * 3600);
  });

  it('when a POST has no key, then each one executes', async () => {
    const gw = await gateway();
    const post = () =>
      gw.app.inject({
        method: 'POST',
        url: '/v1/payment_intents',
        headers: auth,
        payload: form({ amount: '1000', currency: 'usd' }),
      });
    const [a, b] = [await post(), await post()];
    expect(a.json<{ id: string }>().id).not.toBe(b.json<{ id: string }>().id);
  });

  it('when a key is longer than 255 characters, then it is refused', async () => {
    const gw = await gateway();
    const res = await gw.app.inject({
      method: 'POST',
      url: '/v1/payment_intents',
      headers: { ...auth, 'idempotency-key': 'k'.repeat(256) },
      payload: form({ amount: '1000', currency: 'usd' }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});

/** A TCP proxy that lets the first request through but cuts the connection instead of returning the answer. */
async function dropFirstResponse(
  upstreamPort: number,
): Promise<{ port: number; dropped: () => number; close: () => Promise<void> }> {
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(upstream);
    client.pipe(upstream);
    if (dropped === 0) {
      dropped++;
      upstream.once('data', () => {
        client.destroy();
        upstream.destroy();
      });
    } else {
      upstream.pipe(client);
    }
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    dropped: () => dropped,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
