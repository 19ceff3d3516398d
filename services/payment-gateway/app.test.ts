// The gateway driven by the real stripe SDK (v23) over HTTP, as the payment activities drive it, plus raw
// requests for what the SDK never sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { auth, type Gateway, serverSide, startGateway } from '../../test/support/payment-gateway.ts';

let gw: Gateway;
let stripe: Stripe;

beforeAll(async () => {
  gw = await startGateway();
  stripe = gw.stripe();
});
afterAll(() => gw.close());

async function cardError(promise: Promise<unknown>): Promise<Stripe.errors.StripeCardError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
  return err as Stripe.errors.StripeCardError;
}

async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Stripe.errors.StripeError);
  return err as Stripe.errors.StripeError;
}

describe('payment intents', () => {
  it('when a manual-capture intent is created, confirmed and captured, then it moves through requires_capture to succeeded', async () => {
    const created = await stripe.paymentIntents.create({
      amount: 4200,
      currency: 'usd',
      capture_method: 'manual',
      metadata: { order_id: 'order-1' },
      description: 'order order-1',
      ...serverSide,
    });
    expect(created).toMatchObject({
      object: 'payment_intent',
      status: 'requires_payment_method',
      amount: 4200,
      currency: 'usd',
      capture_method: 'manual',
      metadata: { order_id: 'order-1' },
      description: 'order order-1',
      livemode: false,
      latest_charge: null,
    });
    expect(created.id).toMatch(/^pi_[A-Za-z0-9]{24}$/);
    expect(created.client_secret).toMatch(new RegExp(`^${created.id}_secret_`));

    const confirmed = await stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_visa' });
    expect(confirmed).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 4200,
      amount_received: 0,
    });
    // As on Stripe, the test token becomes a PaymentMethod of its own.
    expect(confirmed.payment_method).toMatch(/^pm_[A-Za-z0-9]{24}$/);
    expect(confirmed.latest_charge).toMatch(/^ch_/);

    const captured = await stripe.paymentIntents.capture(created.id);
    expect(captured).toMatchObject({ status: 'succeeded', amount_capturable: 0, amount_received: 4200 });
    const charge = await stripe.charges.retrieve(captured.latest_charge as string);
    expect(charge).toMatchObject({
      captured: true,
      amount_captured: 4200,
      paid: true,
      status: 'succeeded',
      payment_intent: created.id,
    });
    expect(charge.payment_method_details?.card?.last4).toBe('4242');
  });

  it('when an intent is created with confirm=true and automatic capture, then it has succeeded at once', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1999,
      currency: 'EUR',
      payment_method: 'pm_card_mastercard',
      confirm: true,
      ...serverSide,
    });
    expect(pi).toMatchObject({
      status: 'succeeded',
      currency: 'eur',
      amount_received: 1999,
      amount_capturable: 0,
      capture_method: 'automatic_async',
    });
    const fetched = await stripe.paymentIntents.retrieve(pi.id, {
      expand: ['latest_charge', 'payment_method'],
    });
    expect((fetched.latest_charge as Stripe.Charge).amount_captured).toBe(1999);
    expect((fetched.payment_method as Stripe.PaymentMethod).card?.brand).toBe('mastercard');
  });

  it('when amex is confirmed with allow_redirects=never, then no return_url is needed', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 500,
      currency: 'usd',
      payment_method: 'pm_card_amex',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    expect(pi.status).toBe('succeeded');
  });

  it('when a partial amount is captured, then only that amount is received', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 3000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
      ...serverSide,
    });
    const captured = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1000 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 1000, amount_capturable: 0 });
  });

  it('when more than the authorized amount is captured, then it is refused and the intent still awaits capture', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 3000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
      ...serverSide,
    });
    const err = await rejection(stripe.paymentIntents.capture(pi.id, { amount_to_capture: 3001 }));
    expect(err).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount_to_capture' });
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_capture');
  });

  it('when an intent that already succeeded is captured, confirmed or canceled, then each is payment_intent_unexpected_state', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 800,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      ...serverSide,
    });
    for (const attempt of [
      stripe.paymentIntents.capture(pi.id),
      stripe.paymentIntents.confirm(pi.id),
      stripe.paymentIntents.cancel(pi.id),
    ]) {
      const err = await rejection(attempt);
      expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(err).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    }
  });

  it('when an authorized intent is canceled, then it is canceled with its reason and can no longer be captured', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 2500,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
      ...serverSide,
    });
    const canceled = await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'abandoned',
      amount_capturable: 0,
    });
    expect(canceled.canceled_at).toBeTypeOf('number');
    const charge = await stripe.charges.retrieve(canceled.latest_charge as string);
    expect(charge).toMatchObject({ captured: false, refunded: true });
    expect(await rejection(stripe.paymentIntents.capture(pi.id))).toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
  });

  it("when a confirm may redirect and has no return_url, then Stripe's return_url error comes back", async () => {
    const err = await rejection(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    expect(err).toMatchObject({ statusCode: 400, param: 'return_url' });
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    expect(pi.automatic_payment_methods).toEqual({ allow_redirects: 'always', enabled: true });
    expect(
      await rejection(stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' })),
    ).toMatchObject({ param: 'return_url' });
    const confirmed = await stripe.paymentIntents.confirm(pi.id, {
      payment_method: 'pm_card_visa',
      return_url: 'https://shop.test/return',
    });
    expect(confirmed.status).toBe('succeeded');
  });

  it('when the payment method is unknown, then it is a 400 resource_missing on payment_method', async () => {
    const err = await rejection(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_unknown',
        confirm: true,
        ...serverSide,
      }),
    );
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'payment_method',
      message: "No such PaymentMethod: 'pm_card_unknown'",
    });
  });

  it('when an intent id does not exist, then it is a 404 resource_missing', async () => {
    const err = await rejection(stripe.paymentIntents.retrieve('pi_doesnotexist'));
    expect(err).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      message: "No such payment_intent: 'pi_doesnotexist'",
    });
  });

  it("when parameters are missing, unknown or malformed, then Stripe's parameter errors name the parameter", async () => {
    const create = (params: Record<string, unknown>) =>
      rejection(stripe.paymentIntents.create(params as unknown as Stripe.PaymentIntentCreateParams));
    expect(await create({ currency: 'usd' })).toMatchObject({
      code: 'parameter_missing',
      param: 'amount',
      message: 'Missing required param: amount.',
    });
    expect(await create({ amount: 'ten', currency: 'usd' })).toMatchObject({
      code: 'parameter_invalid_integer',
      param: 'amount',
    });
    expect(await create({ amount: 1000, currency: 'usd', customer: 'cus_1' })).toMatchObject({
      code: 'parameter_unknown',
      param: 'customer',
    });
    expect(await create({ amount: 10, currency: 'usd' })).toMatchObject({
      code: 'amount_too_small',
      param: 'amount',
      message: 'Amount must be at least $0.50 usd',
    });
    expect(await create({ amount: 1000, currency: 'xxx' })).toMatchObject({ param: 'currency' });
    expect(await create({ amount: 1000, currency: 'usd', capture_method: 'later' })).toMatchObject({
      param: 'capture_method',
    });
  });

  it('when intents are listed with a limit, then the newest come first and has_more pages through the rest', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await stripe.paymentIntents.create({ amount: 1000 + i, currency: 'usd', ...serverSide })).id);
    const first = await stripe.paymentIntents.list({ limit: 2 });
    expect(first).toMatchObject({ object: 'list', url: '/v1/payment_intents', has_more: true });
    expect(first.data.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    const next = await stripe.paymentIntents.list({ limit: 1, starting_after: ids[1] });
    expect(next.data.map((p) => p.id)).toEqual([ids[0]]);
    const before = await stripe.paymentIntents.list({ limit: 5, ending_before: ids[0] });
    expect(before.data.map((p) => p.id)).toEqual([ids[2], ids[1]]);
  });
});

describe('test card declines', () => {
  const declines = [
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline', 'Your card was declined.'],
    [
      'pm_card_chargeDeclinedInsufficientFunds',
      'card_declined',
      'insufficient_funds',
      'Your card has insufficient funds.',
    ],
    ['pm_card_chargeDeclinedFraudulent', 'card_declined', 'fraudulent', 'Your card was declined.'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card', 'Your card has expired.'],
    [
      'pm_card_chargeDeclinedIncorrectCvc',
      'incorrect_cvc',
      'incorrect_cvc',
      "Your card's security code is incorrect.",
    ],
    [
      'pm_card_chargeDeclinedProcessingError',
      'processing_error',
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
    ],
  ] as const;

  it.each(declines)(
    'when %s is confirmed, then it is a 402 card_error %s/%s and the intent needs a new payment method',
    async (pm, code, declineCode, message) => {
      const err = await cardError(
        stripe.paymentIntents.create({
          amount: 2000,
          currency: 'usd',
          payment_method: pm,
          confirm: true,
          ...serverSide,
        }),
      );
      expect(err).toMatchObject({
        statusCode: 402,
        rawType: 'card_error',
        code,
        decline_code: declineCode,
        message,
      });
      expect(err.charge).toMatch(/^ch_/);
      expect(err.doc_url).toBe(`https://docs.stripe.com/error-codes/${code.replaceAll('_', '-')}`);
      expect(err.payment_intent).toMatchObject({
        status: 'requires_payment_method',
        payment_method: null,
        latest_charge: err.charge,
      });
      expect(err.payment_intent?.last_payment_error).toMatchObject({
        type: 'card_error',
        code,
        decline_code: declineCode,
        charge: err.charge,
      });

      const pi = await stripe.paymentIntents.retrieve(err.payment_intent!.id);
      expect(pi).toMatchObject({ status: 'requires_payment_method', amount_received: 0 });
      const charge = await stripe.charges.retrieve(err.charge!);
      expect(charge).toMatchObject({ status: 'failed', paid: false, captured: false, failure_code: code });
    },
  );

  it('when a declined intent is confirmed again with a good card, then it succeeds and the error is cleared', async () => {
    const err = await cardError(
      stripe.paymentIntents.create({
        amount: 2000,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
        ...serverSide,
      }),
    );
    const pi = await stripe.paymentIntents.confirm(err.payment_intent!.id, {
      payment_method: 'pm_card_visa',
    });
    expect(pi).toMatchObject({ status: 'succeeded', last_payment_error: null, amount_received: 2000 });
    expect(pi.latest_charge).not.toBe(err.charge);
  });
});

describe('refunds', () => {
  async function paid(amount: number): Promise<Stripe.PaymentIntent> {
    return stripe.paymentIntents.create({
      amount,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      ...serverSide,
    });
  }

  it('when a refund names only the intent, then the whole captured amount is refunded', async () => {
    const pi = await paid(5000);
    const refund = await stripe.refunds.create({
      payment_intent: pi.id,
      reason: 'requested_by_customer',
      metadata: { order_id: 'o-9' },
    });
    expect(refund).toMatchObject({
      object: 'refund',
      amount: 5000,
      status: 'succeeded',
      currency: 'usd',
      payment_intent: pi.id,
      charge: pi.latest_charge,
      reason: 'requested_by_customer',
      metadata: { order_id: 'o-9' },
    });
    expect(refund.id).toMatch(/^re_/);
    expect(await stripe.refunds.retrieve(refund.id)).toEqual(JSON.parse(JSON.stringify(refund)));
    expect(await stripe.charges.retrieve(pi.latest_charge as string)).toMatchObject({
      amount_refunded: 5000,
      refunded: true,
    });
  });

  it('when refunds are partial, then they add up to the captured amount and one more is charge_already_refunded', async () => {
    const pi = await paid(5000);
    await stripe.refunds.create({ payment_intent: pi.id, amount: 2000 });
    const second = await stripe.refunds.create({ payment_intent: pi.id });
    expect(second.amount).toBe(3000);
    const err = await rejection(stripe.refunds.create({ payment_intent: pi.id, amount: 1 }));
    expect(err).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    const list = await stripe.refunds.list({ payment_intent: pi.id });
    expect(list.data.map((r) => r.amount)).toEqual([3000, 2000]);
  });

  it('when a refund is larger than what is left, then it is amount_too_large and nothing is refunded', async () => {
    const pi = await paid(5000);
    await stripe.refunds.create({ payment_intent: pi.id, amount: 4000 });
    const err = await rejection(stripe.refunds.create({ payment_intent: pi.id, amount: 1001 }));
    expect(err).toMatchObject({
      statusCode: 400,
      code: 'amount_too_large',
      param: 'amount',
      message: 'Refund amount ($10.01) is greater than unrefunded amount on charge ($10.00)',
    });
    expect((await stripe.refunds.list({ payment_intent: pi.id })).data).toHaveLength(1);
  });

  it('when a partially captured intent is refunded, then only the captured amount can be refunded', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
      ...serverSide,
    });
    await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 3000 });
    expect((await stripe.refunds.create({ payment_intent: pi.id })).amount).toBe(3000);
  });

  it('when the intent has no captured charge, then the refund is refused', async () => {
    const unpaid = await stripe.paymentIntents.create({ amount: 5000, currency: 'usd', ...serverSide });
    expect(await rejection(stripe.refunds.create({ payment_intent: unpaid.id }))).toMatchObject({
      statusCode: 400,
      param: 'payment_intent',
    });
    const authorized = await stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
      ...serverSide,
    });
    expect((await rejection(stripe.refunds.create({ payment_intent: authorized.id }))).message).toMatch(
      /cancel it instead/,
    );
    expect(await rejection(stripe.refunds.create({ payment_intent: 'pi_nope' }))).toMatchObject({
      code: 'resource_missing',
      param: 'payment_intent',
    });
  });

  it('when a refund names the charge instead of the intent, then it refunds that charge', async () => {
    const pi = await paid(1200);
    const refund = await stripe.refunds.create({ charge: pi.latest_charge as string, amount: 200 });
    expect(refund).toMatchObject({ amount: 200, payment_intent: pi.id });
    expect((await stripe.refunds.list({ charge: pi.latest_charge as string })).data.map((r) => r.id)).toEqual(
      [refund.id],
    );
  });

  it('when a refund id does not exist, then it is a 404 resource_missing', async () => {
    expect(await rejection(stripe.refunds.retrieve('re_nope'))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });
});

describe('the API surface', () => {
  it("when no API key is sent, then it is a 401 in Stripe's shape", async () => {
    const res = await gw.app.inject({ method: 'GET', url: '/v1/payment_intents' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        message: expect.stringMatching(/^You did not provide an API key/) as unknown,
      },
    });
  });

  it('when a live or malformed key is sent, then it is refused; the SDK raises StripeAuthenticationError', async () => {
    const live = await rejection(gw.stripe({ key: 'sk_live_1234567890abcdef' }).paymentIntents.list());
    expect(live).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(live.message).toMatch(/^Invalid API Key provided: sk_live_\*+cdef/);
    const res = await gw.app.inject({
      method: 'GET',
      url: '/v1/payment_intents',
      headers: { authorization: 'Bearer pk_test_abc' },
    });
    expect(res.statusCode).toBe(401);
  });

  it('when the key comes as Basic auth (curl -u sk_test_...:), then it is accepted', async () => {
    const basic = `Basic ${Buffer.from('sk_test_curl:').toString('base64')}`;
    const res = await gw.app.inject({
      method: 'GET',
      url: '/v1/payment_intents?limit=1',
      headers: { authorization: basic },
    });
    expect(res.statusCode).toBe(200);
  });

  it('when any /v1 request is answered, then it carries Request-Id, the Stripe-Version asked for, and JSON', async () => {
    const res = await gw.app.inject({
      method: 'GET',
      url: '/v1/payment_intents',
      headers: { ...auth, 'stripe-version': '2024-06-20' },
    });
    expect(res.headers['request-id']).toMatch(/^req_/);
    expect(res.headers['stripe-version']).toBe('2024-06-20');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const errored = await gw.app.inject({ method: 'GET', url: '/v1/payment_intents/pi_x', headers: auth });
    expect(errored.headers['request-id']).toMatch(/^req_/);
    expect(errored.headers['stripe-version']).toBe('2026-10-28.endive');
  });

  it('when a body uses bracket notation, then nested metadata and indexed expand[] are understood', async () => {
    const body =
      'amount=1500&currency=usd&payment_method_types[0]=card&metadata[order_id]=o-42&metadata[note]=a%20b%2Bc&expand[]=payment_method&payment_method=pm_card_visa&confirm=true';
    const res = await gw.app.inject({
      method: 'POST',
      url: '/v1/payment_intents',
      headers: auth,
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    const pi = res.json<Record<string, unknown>>();
    expect(pi.metadata).toEqual({ order_id: 'o-42', note: 'a b+c' });
    expect(pi.payment_method).toMatchObject({ object: 'payment_method', type: 'card' });
  });

  it('when the body is JSON, then numbers and booleans are accepted as such', async () => {
    const res = await gw.app.inject({
      method: 'POST',
      url: '/v1/payment_intents',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: {
        amount: 1500,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        payment_method_types: ['card'],
        metadata: { order_id: 'o-43' },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'succeeded', metadata: { order_id: 'o-43' } });
  });

  it("when a /v1 route does not exist, then it is Stripe's 404, while kit routes keep their own shape", async () => {
    const res = await gw.app.inject({ method: 'GET', url: '/v1/customers', headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      error: {
        type: 'invalid_request_error',
        message: expect.stringMatching(/^Unrecognized request URL \(GET: \/v1\/customers\)/) as unknown,
      },
    });
    expect((await gw.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({
      status: 'ok',
      service: 'payment-gateway',
    });
    expect((await gw.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await gw.app.inject({ method: 'GET', url: '/nope' })).json()).toMatchObject({
      error: { code: 'ROUTE_NOT_FOUND' },
    });
  });

  it('when the body is malformed JSON, then it is a Stripe-shaped 400', async () => {
    const res = await gw.app.inject({
      method: 'POST',
      url: '/v1/payment_intents',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"amount":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('when /admin/faults injects errors on /v1, then they come back as Stripe api_errors (503), which the SDK treats as retryable', async () => {
    await gw.app.inject({
      method: 'PUT',
      url: '/admin/faults',
      payload: { errorRate: 1, errorStatus: 503, pathPrefix: '/v1' },
    });
    try {
      const err = await rejection(stripe.paymentIntents.list());
      expect(err).toBeInstanceOf(Stripe.errors.StripeAPIError);
      expect(err).toMatchObject({ statusCode: 503, rawType: 'api_error', code: 'injected_fault' });
    } finally {
      await gw.app.inject({ method: 'DELETE', url: '/admin/faults' });
    }
    expect((await stripe.paymentIntents.list({ limit: 1 })).object).toBe('list');
  });
});
