// /v1/payment_intents: create (optionally confirming), retrieve, list, confirm, capture, cancel.
// Parameters are validated before execution (a failure there stores nothing under the idempotency key);
// everything that depends on stored state happens in the execution, whose result, error or not, is stored.
import { type Api, type Execute, type Outcome } from '../api.ts';
import { errorBody, invalidRequest, resourceMissing } from '../errors.ts';
import { checkChargeAmount, currency } from '../money.ts';
import { renderList, renderPaymentIntent } from '../objects.ts';
import {
  bool,
  expand,
  hash,
  int,
  listParams,
  metadata,
  oneOf,
  type Params,
  rejectUnknown,
  str,
} from '../params.ts';
import {
  cancel,
  capture,
  confirm,
  type ConfirmResult,
  createPaymentIntent,
  mayRedirect,
  resolvePaymentMethod,
  returnUrlRequired,
} from '../payments.ts';
import { type CaptureMethod, type PaymentIntentRow, type Store } from '../store.ts';

const EXPANDABLE = ['latest_charge', 'payment_method'];
const CAPTURE_METHODS: readonly CaptureMethod[] = ['automatic', 'automatic_async', 'manual'];
const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;

function load(store: Store, id: string): PaymentIntentRow {
  const pi = store.getPaymentIntent(id);
  if (!pi) throw resourceMissing('payment_intent', id);
  return pi;
}

/** A declined confirmation is HTTP 402 with the updated intent inside the error; the state change stays. */
function confirmOutcome(result: ConfirmResult, store: Store, expanded: string[]): Outcome {
  if (result.decline) return { status: 402, body: { error: errorBody(result.decline) } };
  return { status: 200, body: renderPaymentIntent(result.pi, store, expanded) };
}

/** automatic_payment_methods or payment_method_types (card only): at most one of them, as on Stripe. */
function paymentMethodChoice(
  params: Params,
): Pick<PaymentIntentRow, 'automatic_payment_methods' | 'payment_method_types'> {
  const apm = hash(params, 'automatic_payment_methods');
  const types = params.payment_method_types;
  if (apm && types !== undefined) {
    throw invalidRequest(
      'You may only specify one of these parameters: automatic_payment_methods, payment_method_types.',
      { param: 'automatic_payment_methods' },
    );
  }
  if (types !== undefined) {
    const list = Array.isArray(types) ? (types as unknown[]) : [types];
    for (const t of list) {
      if (t !== 'card')
        throw invalidRequest(
          `The payment method type "${String(t)}" is invalid. payment-gateway supports: card.`,
          { param: 'payment_method_types' },
        );
    }
    return { automatic_payment_methods: null, payment_method_types: ['card'] };
  }
  if (!apm)
    return {
      automatic_payment_methods: { allow_redirects: 'always', enabled: true },
      payment_method_types: ['card'],
    };
  rejectUnknown(apm, ['enabled', 'allow_redirects']);
  const enabled = bool(apm, 'enabled');
  if (enabled === undefined)
    throw invalidRequest('Missing required param: automatic_payment_methods[enabled].', {
      code: 'parameter_missing',
      param: 'automatic_payment_methods[enabled]',
    });
  const allowRedirects = oneOf(apm, 'allow_redirects', ['always', 'never'] as const) ?? 'always';
  return {
    automatic_payment_methods: enabled ? { allow_redirects: allowRedirects, enabled } : { enabled },
    payment_method_types: ['card'],
  };
}

export function paymentIntentRoutes({ store, get, post }: Api): void {
  post('/payment_intents', ({ params }): Execute => {
    rejectUnknown(params, [
      'amount',
      'currency',
      'payment_method',
      'confirm',
      'capture_method',
      'metadata',
      'description',
      'expand',
      'return_url',
      'payment_method_types',
      'automatic_payment_methods',
    ]);
    const amount = int(params, 'amount', true);
    const code = currency(str(params, 'currency', true));
    checkChargeAmount(amount, code);
    const captureMethod = oneOf(params, 'capture_method', CAPTURE_METHODS) ?? 'automatic_async';
    const paymentMethod = str(params, 'payment_method', false, 255);
    const confirmNow = bool(params, 'confirm') ?? false;
    const meta = metadata(params);
    const description = str(params, 'description', false, 1000);
    const expanded = expand(params, EXPANDABLE);
    const returnUrl = str(params, 'return_url', false, 2048);
    const choice = paymentMethodChoice(params);
    if (confirmNow && paymentMethod === undefined) {
      throw invalidRequest(
        "You cannot confirm this PaymentIntent because it's missing a payment method. Pass `payment_method` together with `confirm=true`.",
        {
          code: 'payment_intent_unexpected_state',
          param: 'payment_method',
        },
      );
    }
    if (confirmNow && mayRedirect(choice.automatic_payment_methods) && returnUrl === undefined)
      throw returnUrlRequired();

    return (now) => {
      const pm = paymentMethod === undefined ? undefined : resolvePaymentMethod(store, paymentMethod, now);
      const pi = createPaymentIntent(
        store,
        {
          amount,
          currency: code,
          captureMethod,
          description,
          metadata: meta,
          automaticPaymentMethods: choice.automatic_payment_methods,
          paymentMethodTypes: choice.payment_method_types,
        },
        pm,
        now,
      );
      if (!confirmNow) return { status: 200, body: renderPaymentIntent(pi, store, expanded) };
      return confirmOutcome(
        confirm(store, pi, { paymentMethod: pm, returnUrl, captureMethod: undefined }, now),
        store,
        expanded,
      );
    };
  });

  get('/payment_intents/:id', ({ params, path }) => {
    rejectUnknown(params, ['expand', 'client_secret']);
    return renderPaymentIntent(load(store, path.id!), store, expand(params, EXPANDABLE));
  });

  get('/payment_intents', ({ params }) => {
    rejectUnknown(params, ['limit', 'starting_after', 'ending_before', 'expand']);
    const query = listParams(params);
    const expanded = expand(
      params,
      EXPANDABLE.map((e) => `data.${e}`),
    ).map((e) => e.slice('data.'.length));
    const page = store.listPaymentIntents(query);
    if (page === 'cursor_missing')
      throw resourceMissing(
        'payment_intent',
        (query.startingAfter ?? query.endingBefore)!,
        query.startingAfter ? 'starting_after' : 'ending_before',
      );
    return renderList(
      '/v1/payment_intents',
      page.data.map((pi) => renderPaymentIntent(pi, store, expanded)),
      page.hasMore,
    );
  });

  post('/payment_intents/:id/confirm', ({ params, path }): Execute => {
    rejectUnknown(params, ['payment_method', 'return_url', 'capture_method', 'expand']);
    const paymentMethod = str(params, 'payment_method', false, 255);
    const returnUrl = str(params, 'return_url', false, 2048);
    const captureMethod = oneOf(params, 'capture_method', CAPTURE_METHODS);
    const expanded = expand(params, EXPANDABLE);
    return (now) => {
      const pi = load(store, path.id!);
      const pm = paymentMethod === undefined ? undefined : resolvePaymentMethod(store, paymentMethod, now);
      return confirmOutcome(
        confirm(store, pi, { paymentMethod: pm, returnUrl, captureMethod }, now),
        store,
        expanded,
      );
    };
  });

  post('/payment_intents/:id/capture', ({ params, path }): Execute => {
    rejectUnknown(params, ['amount_to_capture', 'metadata', 'expand']);
    const amountToCapture = int(params, 'amount_to_capture');
    if (amountToCapture !== undefined && amountToCapture < 1) {
      throw invalidRequest('Invalid amount_to_capture: must be at least 1', { param: 'amount_to_capture' });
    }
    metadata(params); // validated here, merged into the intent's metadata below
    const expanded = expand(params, EXPANDABLE);
    return () => {
      const pi = load(store, path.id!);
      return {
        status: 200,
        body: renderPaymentIntent(
          capture(store, pi, amountToCapture, metadata(params, pi.metadata)),
          store,
          expanded,
        ),
      };
    };
  });

  post('/payment_intents/:id/cancel', ({ params, path }): Execute => {
    rejectUnknown(params, ['cancellation_reason', 'expand']);
    const reason = oneOf(params, 'cancellation_reason', CANCELLATION_REASONS);
    const expanded = expand(params, EXPANDABLE);
    return (now) => ({
      status: 200,
      body: renderPaymentIntent(cancel(store, load(store, path.id!), reason, now), store, expanded),
    });
  });
}
