// payment-worker's activities, through the official Stripe SDK: the same code talks to the local
// Stripe-compatible payment-gateway and, with a real key and no base URL, to Stripe.
//
// Idempotency: every Stripe call carries a key derived from the workflow id (= order id) and the call,
// so retries, replays and worker crashes never create or capture a second payment. The intent is
// created *unconfirmed* (no money moves), so RefundPayment can find it again by replaying the same
// create call even when ProcessPayment never returned.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type Stripe from 'stripe';
import type { Payment } from '../../contracts/order/types.ts';
import { FailureType } from '../../contracts/failures.ts';
import { stripeFailure } from './failures.ts';
import type { PaymentActivities, PaymentRequest } from './types.ts';

export const PAYMENT_SERVICE = 'payment-gateway';

/**
 * The SDK's own retries of one call (connection errors, 409, 5xx), each with the same Idempotency-Key: a
 * brief gateway error costs a ~0.5–1 s SDK retry instead of a whole Temporal attempt (three calls again).
 * Temporal's time-bounded policy (policies.ts) stays the outer budget.
 */
export const STRIPE_CALL_RETRIES = 2;

/** Key (same for every attempt: derived from the workflow id and the call only) and the SDK's retries. */
function requestOptions(call: string): Stripe.RequestOptions {
  const workflowId = Context.current().info.workflowExecution?.workflowId;
  if (!workflowId)
    throw new Error('payment activities must run inside an order workflow: the key derives from its id');
  return { idempotencyKey: `${workflowId}:${call}`, maxNetworkRetries: STRIPE_CALL_RETRIES };
}

async function stripeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw stripeFailure(PAYMENT_SERVICE, err);
  }
}

function createParams(req: PaymentRequest): Stripe.PaymentIntentCreateParams {
  return {
    amount: req.amountCents,
    currency: req.currency,
    payment_method: req.paymentMethod,
    capture_method: 'manual',
    // Server-side confirmation with no return_url: redirect-based methods are excluded, as Stripe requires.
    automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    description: `orderflow order ${req.orderId}`,
    metadata: { order_id: req.orderId, customer_id: req.customerId },
  };
}

export function createPaymentActivities(deps: { readonly stripe: Stripe }): PaymentActivities {
  const { stripe } = deps;
  const findIntent = (req: PaymentRequest): Promise<Stripe.PaymentIntent> =>
    stripeCall(() => stripe.paymentIntents.create(createParams(req), requestOptions('payment-intent')));

  return {
    /** Create, confirm (authorize) and capture the full amount. */
    async processPayment(req): Promise<Payment> {
      let intent = await findIntent(req);
      if (intent.status === 'requires_confirmation' || intent.status === 'requires_payment_method') {
        intent = await stripeCall(() =>
          stripe.paymentIntents.confirm(
            intent.id,
            { payment_method: req.paymentMethod },
            requestOptions('confirm'),
          ),
        );
      }
      if (intent.status === 'requires_capture') {
        intent = await stripeCall(() =>
          stripe.paymentIntents.capture(
            intent.id,
            { amount_to_capture: req.amountCents },
            requestOptions('capture'),
          ),
        );
      }
      if (intent.status !== 'succeeded') {
        throw ApplicationFailure.nonRetryable(
          `payment intent ${intent.id} ended ${intent.status}`,
          FailureType.paymentRejected,
          {
            service: PAYMENT_SERVICE,
            injectedFault: false,
          },
        );
      }
      return {
        paymentIntentId: intent.id,
        chargeId: typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge?.id,
        amountCents: intent.amount_received,
        currency: intent.currency,
      };
    },

    /** Full refund of whatever was captured; an authorization that was never captured is released. */
    async refundPayment(req) {
      const { id } = await findIntent(req);
      const intent = await stripeCall(() =>
        stripe.paymentIntents.retrieve(id, {}, { maxNetworkRetries: STRIPE_CALL_RETRIES }),
      );
      switch (intent.status) {
        case 'succeeded': {
          try {
            const refund = await stripe.refunds.create(
              {
                payment_intent: intent.id,
                reason: 'requested_by_customer',
                metadata: { order_id: req.orderId },
              },
              requestOptions('refund'),
            );
            return `refunded ${refund.amount} ${refund.currency} (${refund.id})`;
          } catch (err) {
            // Refunded in full already (by an operator, say): the compensation's goal holds.
            if ((err as { code?: string }).code === 'charge_already_refunded')
              return `payment intent ${intent.id} already refunded`;
            throw stripeFailure(PAYMENT_SERVICE, err);
          }
        }
        case 'canceled':
          return `payment intent ${intent.id} already cancelled: nothing charged`;
        default: {
          // Authorized but not captured, or never confirmed: cancel it so no charge can follow.
          await stripeCall(() => stripe.paymentIntents.cancel(intent.id, {}, requestOptions('cancel')));
          return `payment intent ${intent.id} cancelled from ${intent.status}: nothing charged`;
        }
      }
    },
  };
}
