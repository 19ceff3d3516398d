// The PaymentIntent state machine and refunds, as Stripe runs them:
//   requires_payment_method → requires_confirmation → (confirm) → requires_capture (manual) → succeeded
//   any state before succeeded → canceled
// A declined confirmation creates a failed charge, records last_payment_error, detaches the payment method
// and goes back to requires_payment_method; it is a state change *and* an error, so it is returned, not thrown.
// Every function here runs inside the caller's SQLite transaction.
import {
  docUrl,
  type StripeErrorFields,
  invalidRequest,
  resourceMissing,
  unexpectedState,
} from './errors.ts';
import { newId, randomToken } from './ids.ts';
import { checkChargeAmount, formatAmount } from './money.ts';
import { renderPaymentIntent, renderPaymentMethod } from './objects.ts';
import { type Metadata } from './params.ts';
import { templateFor } from './payment-methods.ts';
import {
  type CaptureMethod,
  type PaymentIntentRow,
  type PaymentMethodRow,
  type RefundRow,
  type Store,
} from './store.ts';

export interface NewPaymentIntent {
  readonly amount: number;
  readonly currency: string;
  readonly captureMethod: CaptureMethod;
  readonly description: string | undefined;
  readonly metadata: Metadata;
  readonly automaticPaymentMethods: PaymentIntentRow['automatic_payment_methods'];
  readonly paymentMethodTypes: string[];
}

/** A test token (`pm_card_visa`) becomes a new `pm_...`; an existing `pm_...` is used as it is. */
export function resolvePaymentMethod(store: Store, ref: string, now: number): PaymentMethodRow {
  const existing = store.getPaymentMethod(ref);
  if (existing) return existing;
  if (!templateFor(ref)) throw resourceMissing('PaymentMethod', ref, 'payment_method');
  const pm: PaymentMethodRow = { id: newId('pm'), token: ref, created: now };
  store.insertPaymentMethod(pm);
  return pm;
}

export function createPaymentIntent(
  store: Store,
  input: NewPaymentIntent,
  paymentMethod: PaymentMethodRow | undefined,
  now: number,
): PaymentIntentRow {
  const id = newId('pi');
  const pi: PaymentIntentRow = {
    id,
    amount: input.amount,
    currency: input.currency,
    status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
    capture_method: input.captureMethod,
    payment_method: paymentMethod?.id ?? null,
    amount_capturable: 0,
    amount_received: 0,
    latest_charge: null,
    description: input.description ?? null,
    metadata: input.metadata,
    last_payment_error: null,
    cancellation_reason: null,
    canceled_at: null,
    automatic_payment_methods: input.automaticPaymentMethods,
    payment_method_types: input.paymentMethodTypes,
    client_secret: `${id}_secret_${randomToken(25)}`,
    created: now,
  };
  store.insertPaymentIntent(pi);
  return pi;
}

/**
 * Stripe refuses to confirm without a return_url when the intent may use redirect-based payment methods
 * (automatic_payment_methods enabled and allow_redirects not "never"). Server-side confirmation must opt out.
 */
export function mayRedirect(apm: PaymentIntentRow['automatic_payment_methods']): boolean {
  return apm?.enabled === true && apm.allow_redirects !== 'never';
}

export const returnUrlRequired = () =>
  invalidRequest(
    "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
    { param: 'return_url' },
  );

const CONFIRMABLE = new Set(['requires_payment_method', 'requires_confirmation']);

export interface ConfirmOptions {
  readonly paymentMethod: PaymentMethodRow | undefined;
  readonly returnUrl: string | undefined;
  readonly captureMethod: CaptureMethod | undefined;
}

export type ConfirmResult =
  | { readonly pi: PaymentIntentRow; readonly decline?: undefined }
  | { readonly pi: PaymentIntentRow; readonly decline: StripeErrorFields };

/** Authorizes the payment method against the intent's amount: the test card decides the outcome. */
export function confirm(
  store: Store,
  pi: PaymentIntentRow,
  options: ConfirmOptions,
  now: number,
): ConfirmResult {
  if (!CONFIRMABLE.has(pi.status)) {
    throw unexpectedState(
      pi.status === 'succeeded'
        ? 'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.'
        : `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_payment_method, requires_confirmation.`,
    );
  }
  if (mayRedirect(pi.automatic_payment_methods) && options.returnUrl === undefined) throw returnUrlRequired();
  const pm =
    options.paymentMethod ?? (pi.payment_method ? store.getPaymentMethod(pi.payment_method) : undefined);
  if (!pm) {
    throw unexpectedState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
    );
  }
  if (options.captureMethod) pi.capture_method = options.captureMethod;
  const decline = templateFor(pm.token)!.decline;
  const chargeId = newId('ch');
  const manual = pi.capture_method === 'manual';
  store.insertCharge({
    id: chargeId,
    payment_intent: pi.id,
    payment_method: pm.id,
    amount: pi.amount,
    amount_captured: decline || manual ? 0 : pi.amount,
    amount_refunded: 0,
    captured: !decline && !manual,
    status: decline ? 'failed' : 'succeeded',
    currency: pi.currency,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    decline_code: decline?.declineCode ?? null,
    created: now,
  });
  pi.latest_charge = chargeId;

  if (decline) {
    const error: StripeErrorFields = {
      type: 'card_error',
      code: decline.code,
      decline_code: decline.declineCode,
      message: decline.message,
      ...(decline.param ? { param: decline.param } : {}),
      charge: chargeId,
      payment_method: renderPaymentMethod(pm),
    };
    pi.status = 'requires_payment_method';
    pi.payment_method = null;
    pi.last_payment_error = { ...error, doc_url: docUrl(decline.code) };
    store.updatePaymentIntent(pi);
    return { pi, decline: { ...error, payment_intent: renderPaymentIntent(pi, store) } };
  }
  pi.payment_method = pm.id;
  pi.last_payment_error = null;
  if (manual) {
    pi.status = 'requires_capture';
    pi.amount_capturable = pi.amount;
  } else {
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
  }
  store.updatePaymentIntent(pi);
  return { pi };
}

export function capture(
  store: Store,
  pi: PaymentIntentRow,
  amountToCapture: number | undefined,
  metadata: Metadata,
): PaymentIntentRow {
  if (pi.status !== 'requires_capture') {
    throw unexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
    );
  }
  const amount = amountToCapture ?? pi.amount_capturable;
  if (amount > pi.amount_capturable) {
    throw invalidRequest(
      `The amount_to_capture (${formatAmount(amount, pi.currency)}) must be less than or equal to the amount_capturable (${formatAmount(pi.amount_capturable, pi.currency)}).`,
      { code: 'amount_too_large', param: 'amount_to_capture' },
    );
  }
  checkChargeAmount(amount, pi.currency, 'amount_to_capture');
  const charge = store.getCharge(pi.latest_charge!)!;
  charge.captured = true;
  charge.amount_captured = amount;
  store.updateCharge(charge);
  pi.status = 'succeeded';
  pi.amount_received = amount;
  pi.amount_capturable = 0;
  pi.metadata = metadata;
  store.updatePaymentIntent(pi);
  return pi;
}

const CANCELABLE = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];

export function cancel(
  store: Store,
  pi: PaymentIntentRow,
  reason: string | undefined,
  now: number,
): PaymentIntentRow {
  if (!CANCELABLE.includes(pi.status)) {
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
    );
  }
  if (pi.status === 'requires_capture') {
    // Canceling an authorization releases the hold: Stripe shows the uncaptured charge as refunded.
    const charge = store.getCharge(pi.latest_charge!)!;
    charge.amount_refunded = charge.amount;
    store.updateCharge(charge);
  }
  pi.status = 'canceled';
  pi.amount_capturable = 0;
  pi.cancellation_reason = reason ?? null;
  pi.canceled_at = now;
  store.updatePaymentIntent(pi);
  return pi;
}

export interface NewRefund {
  readonly paymentIntent: string | undefined;
  readonly charge: string | undefined;
  readonly amount: number | undefined;
  readonly reason: string | undefined;
  readonly metadata: Metadata;
}

/** Refunds the captured, not yet refunded part of the intent's successful charge: all of it by default. */
export function refund(store: Store, input: NewRefund, now: number): RefundRow {
  let pi: PaymentIntentRow | undefined;
  if (input.paymentIntent !== undefined) {
    pi = store.getPaymentIntent(input.paymentIntent);
    if (!pi) throw resourceMissing('payment_intent', input.paymentIntent, 'payment_intent');
  }
  const chargeId = input.charge ?? pi?.latest_charge ?? undefined;
  const charge = chargeId === undefined ? undefined : store.getCharge(chargeId);
  if (input.charge !== undefined && !charge) throw resourceMissing('charge', input.charge, 'charge');
  if (pi && charge && charge.payment_intent !== pi.id) {
    throw invalidRequest(`Charge ${charge.id} does not belong to PaymentIntent ${pi.id}.`, {
      param: 'charge',
    });
  }
  if (!charge || charge.status !== 'succeeded' || !charge.captured) {
    const owner = pi ?? (charge ? store.getPaymentIntent(charge.payment_intent) : undefined);
    const uncaptured = owner?.status === 'requires_capture';
    throw invalidRequest(
      uncaptured
        ? `This PaymentIntent (${owner.id}) has not been captured yet; cancel it instead to release the authorization.`
        : `This PaymentIntent (${owner?.id ?? input.paymentIntent}) does not have a successful charge to refund.`,
      { param: input.charge !== undefined ? 'charge' : 'payment_intent' },
    );
  }
  const remaining = charge.amount_captured - charge.amount_refunded;
  if (remaining === 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, {
      code: 'charge_already_refunded',
      param: input.charge !== undefined ? 'charge' : 'payment_intent',
    });
  }
  const amount = input.amount ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
      { code: 'amount_too_large', param: 'amount' },
    );
  }
  charge.amount_refunded += amount;
  store.updateCharge(charge);
  const row: RefundRow = {
    id: newId('re'),
    amount,
    charge: charge.id,
    payment_intent: charge.payment_intent,
    currency: charge.currency,
    reason: input.reason ?? null,
    metadata: input.metadata,
    status: 'succeeded',
    created: now,
  };
  store.insertRefund(row);
  return row;
}
