// Rows rendered as Stripe API objects, with the fields Stripe's own objects carry (null where this gateway
// has nothing to say), so code written against the SDK's types reads them unchanged. `expand` swaps an id
// for its object, as on Stripe.
import { type CardTemplate, templateFor } from './payment-methods.ts';
import {
  type ChargeRow,
  type PaymentIntentRow,
  type PaymentMethodRow,
  type RefundRow,
  type Store,
} from './store.ts';

type Json = Record<string, unknown>;

const EXP_YEAR = 2034;

function card(template: CardTemplate, id: string): Json {
  return {
    brand: template.brand,
    checks: {
      address_line1_check: null,
      address_postal_code_check: null,
      cvc_check: template.decline?.code === 'incorrect_cvc' ? 'fail' : 'pass',
    },
    country: 'US',
    display_brand: template.brand === 'amex' ? 'american_express' : template.brand,
    exp_month: 12,
    exp_year: EXP_YEAR,
    // Stable per card number on Stripe; per test token here.
    fingerprint: id.slice(-16),
    funding: template.funding,
    last4: template.last4,
    networks: { available: [template.brand], preferred: null },
    wallet: null,
  };
}

export function renderPaymentMethod(pm: PaymentMethodRow): Json {
  const template = templateFor(pm.token)!;
  return {
    id: pm.id,
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: null,
      phone: null,
    },
    card: card(template, pm.token),
    created: pm.created,
    customer: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
}

export function renderCharge(charge: ChargeRow, store: Store): Json {
  const pm = store.getPaymentMethod(charge.payment_method)!;
  const template = templateFor(pm.token)!;
  const failed = charge.status === 'failed';
  return {
    id: charge.id,
    object: 'charge',
    amount: charge.amount,
    amount_captured: charge.amount_captured,
    amount_refunded: charge.amount_refunded,
    balance_transaction: null,
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: null,
      phone: null,
    },
    calculated_statement_descriptor: 'ORDERFLOW',
    captured: charge.captured,
    created: charge.created,
    currency: charge.currency,
    customer: null,
    description: null,
    disputed: false,
    failure_code: charge.failure_code,
    failure_message: charge.failure_message,
    livemode: false,
    metadata: {},
    outcome: failed
      ? {
          network_status:
            charge.failure_code === 'processing_error' ? 'not_sent_to_network' : 'declined_by_network',
          reason: charge.decline_code,
          risk_level: 'normal',
          seller_message: 'The bank did not return any further details with this decline.',
          type: charge.failure_code === 'processing_error' ? 'invalid' : 'issuer_declined',
        }
      : {
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          seller_message: 'Payment complete.',
          type: 'authorized',
        },
    paid: !failed,
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    payment_method_details: { type: 'card', card: card(template, pm.token) },
    // Fully refunded, or (uncaptured) its authorization released by a cancel.
    refunded:
      charge.amount_refunded > 0 &&
      charge.amount_refunded === (charge.captured ? charge.amount_captured : charge.amount),
    status: charge.status,
  };
}

export function renderPaymentIntent(
  pi: PaymentIntentRow,
  store: Store,
  expand: readonly string[] = [],
): Json {
  const latestCharge =
    expand.includes('latest_charge') && pi.latest_charge
      ? renderCharge(store.getCharge(pi.latest_charge)!, store)
      : pi.latest_charge;
  const paymentMethod =
    expand.includes('payment_method') && pi.payment_method
      ? renderPaymentMethod(store.getPaymentMethod(pi.payment_method)!)
      : pi.payment_method;
  return {
    id: pi.id,
    object: 'payment_intent',
    amount: pi.amount,
    amount_capturable: pi.amount_capturable,
    amount_details: { tip: {} },
    amount_received: pi.amount_received,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: pi.automatic_payment_methods,
    canceled_at: pi.canceled_at,
    cancellation_reason: pi.cancellation_reason,
    capture_method: pi.capture_method,
    client_secret: pi.client_secret,
    confirmation_method: 'automatic',
    created: pi.created,
    currency: pi.currency,
    customer: null,
    description: pi.description,
    last_payment_error: pi.last_payment_error,
    latest_charge: latestCharge,
    livemode: false,
    metadata: pi.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: paymentMethod,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: pi.payment_method_types,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: pi.status,
    transfer_data: null,
    transfer_group: null,
  };
}

export function renderRefund(refund: RefundRow, store: Store, expand: readonly string[] = []): Json {
  return {
    id: refund.id,
    object: 'refund',
    amount: refund.amount,
    balance_transaction: null,
    charge: expand.includes('charge') ? renderCharge(store.getCharge(refund.charge)!, store) : refund.charge,
    created: refund.created,
    currency: refund.currency,
    destination_details: {
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    metadata: refund.metadata,
    payment_intent: expand.includes('payment_intent')
      ? renderPaymentIntent(store.getPaymentIntent(refund.payment_intent)!, store)
      : refund.payment_intent,
    reason: refund.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: refund.status,
    transfer_reversal: null,
  };
}

export function renderList(url: string, data: readonly Json[], hasMore: boolean): Json {
  return { object: 'list', data, has_more: hasMore, url };
}
