// The ADR-0031 checkout, as ADR-0047's context describes it: one request calls the downstream services in
// sequence, each step waiting for the one before, within one deadline, with no retry and no saga. A failure
// after ProcessPayment leaves the customer charged: nothing is refunded, released or cancelled (the ADR's
// "charged customers who never receive shipping confirmation", reconciled by hand).
// It makes the same calls as the saga's activities, in the same order, so a fault hits both pipelines alike.
import type Stripe from 'stripe';
import {
  classifyStripeError,
  FailureType,
  isBusinessDecline,
  isStripeError,
  type FailureDecision,
} from '../../contracts/failures.ts';
import {
  ADR_STEPS,
  type FraudAssessment,
  type OrderFailure,
  type OrderRequest,
  type Payment,
  type Pricing,
  type Shipment,
} from '../../contracts/order/types.ts';
import { CallFailure, deadlineFailure, type JsonClient } from './client.ts';
import type { Deadline } from './deadline.ts';
import { CHECKOUT_DEADLINE_EXCEEDED_TYPE } from './errors.ts';
import {
  RESERVATION_TTL_SECONDS,
  type AvailabilityAnswer,
  type CustomerAnswer,
  type QuoteAnswer,
} from '../../contracts/downstream.ts';

/** The steps of the synchronous checkout: the ADR's steps (the same calls, without the saga). */
export const LEGACY_STEPS = ADR_STEPS;
export type LegacyStep = (typeof LEGACY_STEPS)[number];

const PAYMENT_SERVICE = 'payment-gateway';

export interface CheckoutDeps {
  readonly customer: JsonClient;
  readonly inventory: JsonClient;
  readonly pricing: JsonClient;
  readonly tax: JsonClient;
  readonly fraud: JsonClient;
  readonly shipping: JsonClient;
  readonly notification: JsonClient;
  readonly stripe: Stripe;
  readonly callTimeoutMs: number;
  /** Each step's duration, successful or not (the activity_duration_seconds of this pipeline). */
  readonly onStep?: (step: LegacyStep, seconds: number) => void;
}

export type CheckoutResult =
  | {
      readonly status: 'completed';
      readonly pricing: Pricing;
      readonly payment: Payment;
      readonly shipment: Shipment;
    }
  | {
      readonly status: 'failed';
      readonly failure: OrderFailure;
      /** A business decline, as the failure catalogue decides. */
      readonly declined: boolean;
      readonly deadlineExceeded: boolean;
      /** Money captured for an order that did not complete: an orphaned payment, left as it is. */
      readonly charged: Payment | undefined;
      readonly pricing: Pricing | undefined;
    };

/** A step's own decision to refuse the order (not a call failing). */
class Decline extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

export async function checkout(
  orderId: string,
  request: OrderRequest,
  deadline: Deadline,
  deps: CheckoutDeps,
): Promise<CheckoutResult> {
  const enc = encodeURIComponent;
  let pricing: Pricing | undefined;
  let payment: Payment | undefined;
  let step: LegacyStep = 'ValidateOrder';

  const run = async <T>(name: LegacyStep, fn: () => Promise<T>): Promise<T> => {
    step = name;
    if (deadline.expired) throw deadlineFailure('legacy-order-service', `${name} started`);
    const started = performance.now();
    try {
      return await fn();
    } finally {
      deps.onStep?.(name, (performance.now() - started) / 1000);
    }
  };

  try {
    await run('ValidateOrder', async () => {
      const c = await deps.customer.get<CustomerAnswer>(`/customers/${enc(request.customerId)}`, deadline);
      if (!c.eligible)
        throw new Decline(
          FailureType.customerNotEligible,
          `customer ${c.id} is not eligible: ${c.reason ?? c.status}`,
        );
      const a = await deps.inventory.post<AvailabilityAnswer>(
        '/availability',
        { items: request.items },
        deadline,
      );
      if (!a.available) {
        const short = a.items.filter((i) => i.available < i.requested);
        throw new Decline(
          FailureType.insufficientStock,
          `not enough stock: ${short.map((i) => `${i.sku} (${i.available} of ${i.requested})`).join(', ')}`,
        );
      }
    });

    pricing = await run('CalculatePricing', async (): Promise<Pricing> => {
      const q = await deps.pricing.post<QuoteAnswer>(
        '/quotes',
        { items: request.items, couponCode: request.couponCode },
        deadline,
      );
      const t = await deps.tax.post<{ jurisdiction: string; taxCents: number }>(
        '/tax',
        {
          country: request.shippingAddress.country,
          postalCode: request.shippingAddress.postalCode,
          amountCents: q.totalBeforeTaxCents,
        },
        deadline,
      );
      return {
        currency: q.currency,
        subtotalCents: q.subtotalCents,
        discountCents: q.discountCents,
        taxCents: t.taxCents,
        totalCents: q.totalBeforeTaxCents + t.taxCents,
        taxJurisdiction: t.jurisdiction,
      };
    });
    const priced = pricing;

    await run('RunFraudCheck', async () => {
      const a = await deps.fraud.post<FraudAssessment>(
        '/assessments',
        {
          orderId,
          customerId: request.customerId,
          amountCents: priced.totalCents,
          itemCount: request.items.reduce((n, i) => n + i.quantity, 0),
          country: request.shippingAddress.country,
          paymentMethod: request.paymentMethod,
        },
        deadline,
      );
      // No human in the loop: a request cannot wait hours for a reviewer, so a flagged order is refused.
      if (a.decision !== 'approve')
        throw new Decline(
          FailureType.fraudRejected,
          `fraud check: ${a.decision} (score ${a.score}${a.decision === 'review' ? '; no manual review in the synchronous pipeline' : ''})`,
        );
    });

    await run('ReserveInventory', () =>
      deps.inventory.post(
        '/reservations',
        { reservationId: orderId, items: request.items, ttlSeconds: RESERVATION_TTL_SECONDS },
        deadline,
      ),
    );

    payment = await run('ProcessPayment', () => pay(orderId, request, priced, deadline, deps));

    const shipment = await run('CreateShipment', async (): Promise<Shipment> => {
      const s = await deps.shipping.post<Shipment>(
        '/shipments',
        { shipmentId: orderId, orderId, address: request.shippingAddress, items: request.items },
        deadline,
      );
      return { shipmentId: s.shipmentId, trackingNumber: s.trackingNumber, carrier: s.carrier };
    });

    const paid = payment;
    await run('FinalizeOrder', async () => {
      await deps.inventory.post(`/reservations/${enc(orderId)}/commit`, {}, deadline);
      await deps.notification.post(
        '/notifications',
        {
          notificationId: `${orderId}:confirmation`,
          orderId,
          customerId: request.customerId,
          template: 'order_confirmation',
          channel: 'email',
          data: {
            totalCents: priced.totalCents,
            currency: priced.currency,
            trackingNumber: shipment.trackingNumber,
            carrier: shipment.carrier,
          },
        },
        deadline,
      );
    });
    return { status: 'completed', pricing: priced, payment: paid, shipment };
  } catch (err) {
    return failed(step, err, pricing, payment);
  }
}

function failed(
  step: LegacyStep,
  err: unknown,
  pricing: Pricing | undefined,
  charged: Payment | undefined,
): CheckoutResult {
  const deadlineExceeded = err instanceof CallFailure && err.deadlineExceeded;
  const type =
    err instanceof Decline
      ? err.type
      : err instanceof CallFailure
        ? deadlineExceeded
          ? CHECKOUT_DEADLINE_EXCEEDED_TYPE
          : err.decision.type
        : FailureType.downstreamUnavailable;
  return {
    status: 'failed',
    failure: { step, type, message: (err as Error).message },
    declined: isBusinessDecline(type),
    deadlineExceeded,
    charged,
    pricing,
  };
}

/** Create, confirm, capture, through the official SDK; keys derived from the order id, as the saga does. */
async function pay(
  orderId: string,
  request: OrderRequest,
  pricing: Pricing,
  deadline: Deadline,
  deps: CheckoutDeps,
): Promise<Payment> {
  const call = async <T>(name: string, fn: (options: Stripe.RequestOptions) => Promise<T>): Promise<T> => {
    const budget = deadline.budget(deps.callTimeoutMs);
    if (budget.ms === 0) throw deadlineFailure(PAYMENT_SERVICE);
    try {
      return await fn({ idempotencyKey: `${orderId}:${name}`, timeout: budget.ms, maxNetworkRetries: 0 });
    } catch (err) {
      if (budget.deadlineBound && deadline.expired) throw deadlineFailure(PAYMENT_SERVICE);
      if (isStripeError(err)) throw new CallFailure(classifyStripeError(PAYMENT_SERVICE, err));
      throw err;
    }
  };
  let intent = await call('payment-intent', (o) =>
    deps.stripe.paymentIntents.create(
      {
        amount: pricing.totalCents,
        currency: pricing.currency,
        payment_method: request.paymentMethod,
        capture_method: 'manual',
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        description: `orderflow legacy order ${orderId}`,
        metadata: { order_id: orderId, customer_id: request.customerId, pipeline: 'legacy' },
      },
      o,
    ),
  );
  if (intent.status === 'requires_confirmation' || intent.status === 'requires_payment_method') {
    const id = intent.id;
    intent = await call('confirm', (o) =>
      deps.stripe.paymentIntents.confirm(id, { payment_method: request.paymentMethod }, o),
    );
  }
  if (intent.status === 'requires_capture') {
    const id = intent.id;
    intent = await call('capture', (o) =>
      deps.stripe.paymentIntents.capture(id, { amount_to_capture: pricing.totalCents }, o),
    );
  }
  if (intent.status !== 'succeeded') {
    const decision: FailureDecision = {
      retryable: false,
      type: FailureType.paymentRejected,
      message: `payment intent ${intent.id} ended ${intent.status}`,
      details: { service: PAYMENT_SERVICE, injectedFault: false },
    };
    throw new CallFailure(decision);
  }
  return {
    paymentIntentId: intent.id,
    chargeId: typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge?.id,
    amountCents: intent.amount_received,
    currency: intent.currency,
  };
}
