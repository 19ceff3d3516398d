// The shadow side's activities: decide-only. The reads are the real activities (customer eligibility, stock
// availability, pricing, tax, the fraud score: the same calls, through the same Toxiproxy listeners, so the
// shadow decision is the Temporal pipeline's decision). Every step with an effect records what it would have
// done (reservation, charge, shipment, stock commit, order record, Kafka event, email) in order-shadow's store
// and returns a result of the right shape; nothing is reserved, charged, shipped, published or sent.
import { createFraudActivities } from '../../workflows/activities/fraud-activities.ts';
import {
  createOrderActivities,
  type OrderActivityDeps,
} from '../../workflows/activities/order-activities.ts';
import type { ServiceClient } from '../../workflows/activities/http-client.ts';
import type {
  FraudActivities,
  OrderActivities,
  PaymentActivities,
} from '../../workflows/activities/types.ts';
import type { ShadowStore } from './store.ts';

export interface ShadowActivityDeps {
  readonly customer: ServiceClient;
  readonly inventory: ServiceClient;
  readonly pricing: ServiceClient;
  readonly tax: ServiceClient;
  readonly fraud: ServiceClient;
  readonly store: Pick<ShadowStore, 'recordIntent' | 'recordShadowOutcome'>;
}

/** A dependency the read activities never touch; any use is a bug that would be an effect, so it throws. */
function forbidden<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get(_target, prop) {
      throw new Error(`order-shadow is decide-only: ${name}.${String(prop)} must never be called`);
    },
  });
}

export type ShadowActivities = OrderActivities & FraudActivities & PaymentActivities;

export function createShadowActivities(deps: ShadowActivityDeps): ShadowActivities {
  const reads = createOrderActivities({
    customer: deps.customer,
    inventory: deps.inventory,
    pricing: deps.pricing,
    tax: deps.tax,
    shipping: forbidden<ServiceClient>('shipping'),
    notification: forbidden<ServiceClient>('notification'),
    store: forbidden<OrderActivityDeps['store']>('store'),
    events: forbidden<OrderActivityDeps['events']>('events'),
  });
  const fraud = createFraudActivities({ fraud: deps.fraud });
  const intend = deps.store.recordIntent;
  const expiresAt = (): string => new Date(Date.now() + 15 * 60_000).toISOString();
  /** Decide-only steps do no I/O: their answer is ready at once. */
  const done = <T>(value: T): Promise<T> => Promise.resolve(value);

  return {
    validateOrder: (input) => reads.validateOrder(input),
    calculatePricing: (input) => reads.calculatePricing(input),
    runFraudCheck: (input) => fraud.runFraudCheck(input),

    recordReviewDecision({ orderId, review }) {
      intend(orderId, 'review_feedback', review);
      return done(undefined);
    },
    reserveInventory({ orderId, request }) {
      intend(orderId, 'reserve', { reservationId: orderId, items: request.items });
      return done({ reservationId: `shadow:${orderId}`, expiresAt: expiresAt() });
    },
    releaseInventoryReservation({ orderId }) {
      intend(orderId, 'release', { reservationId: orderId });
      return done('shadow: reservation release recorded, not made');
    },
    processPayment({ orderId, amountCents, currency, paymentMethod }) {
      intend(orderId, 'charge', { amountCents, currency, paymentMethod });
      return done({ paymentIntentId: `shadow:${orderId}`, amountCents, currency });
    },
    refundPayment({ orderId, amountCents, currency }) {
      intend(orderId, 'refund', { amountCents, currency });
      return done('shadow: refund recorded, not made');
    },
    createShipment({ orderId, request }) {
      intend(orderId, 'ship', { address: request.shippingAddress.country, items: request.items });
      return done({
        shipmentId: `shadow:${orderId}`,
        trackingNumber: `shadow:${orderId}`,
        carrier: 'shadow',
      });
    },
    cancelShipment({ orderId }) {
      intend(orderId, 'cancel_shipment', { shipmentId: orderId });
      return done('shadow: shipment cancellation recorded, not made');
    },
    finalizeOrder({ orderId, pricing }) {
      intend(orderId, 'finalize', {
        stockCommit: true,
        event: 'OrderCompleted',
        email: 'order_confirmation',
      });
      deps.store.recordShadowOutcome(orderId, {
        status: 'completed',
        totalCents: pricing.totalCents,
        failure: null,
      });
      return done(undefined);
    },
    recordOrderFailed({ orderId, status, failure, pricing }) {
      intend(orderId, 'record_failed', { status, event: 'OrderFailed', email: 'order_failed' });
      deps.store.recordShadowOutcome(orderId, {
        status,
        totalCents: pricing?.totalCents ?? null,
        failure: { step: failure.step, type: failure.type, message: failure.message },
      });
      return done(undefined);
    },
  };
}
