// order-worker's activities: each one calls its downstream service through Toxiproxy and returns only
// what the workflow needs. Built by a factory so tests inject clients and a store.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { orderCompletedEvent, orderFailedEvent, type OrderEventPublisher } from '../../events/index.ts';
import type { OrderStore } from '../../order-store/index.ts';
import type { Pricing, Reservation, Shipment } from '../../contracts/order/types.ts';
import { FailureType } from '../../contracts/failures.ts';
import type { ServiceClient } from './http-client.ts';
import type { OrderActivities } from './types.ts';
import {
  RESERVATION_TTL_SECONDS,
  type AvailabilityAnswer,
  type CustomerAnswer,
  type QuoteAnswer,
  type TaxAnswer,
} from '../../contracts/downstream.ts';

export interface OrderActivityDeps {
  readonly customer: ServiceClient;
  readonly inventory: ServiceClient;
  readonly pricing: ServiceClient;
  readonly tax: ServiceClient;
  readonly shipping: ServiceClient;
  readonly notification: ServiceClient;
  readonly store: OrderStore;
  /** OrderCompleted / OrderFailed to Kafka, for the non-critical consumers. */
  readonly events: OrderEventPublisher;
}

/** The first attempt's schedule time: the same on every retry, so a re-published event is identical. */
const outcomeTime = (): number => Context.current().info.scheduledTimestampMs;

export function createOrderActivities(deps: OrderActivityDeps): OrderActivities {
  const enc = encodeURIComponent;
  return {
    async validateOrder({ request }) {
      const customer = await deps.customer.get<CustomerAnswer>(`/customers/${enc(request.customerId)}`);
      if (!customer.eligible) {
        throw ApplicationFailure.nonRetryable(
          `customer ${customer.id} is not eligible: ${customer.reason ?? customer.status}`,
          FailureType.customerNotEligible,
          { service: deps.customer.service, injectedFault: false },
        );
      }
      const availability = await deps.inventory.post<AvailabilityAnswer>('/availability', {
        items: request.items,
      });
      if (!availability.available) {
        const short = availability.items.filter((i) => i.available < i.requested);
        throw ApplicationFailure.nonRetryable(
          `not enough stock: ${short.map((i) => `${i.sku} (${i.available} of ${i.requested})`).join(', ')}`,
          FailureType.insufficientStock,
          { service: deps.inventory.service, injectedFault: false, shortages: short },
        );
      }
    },

    async calculatePricing({ request }): Promise<Pricing> {
      const quote = await deps.pricing.post<QuoteAnswer>('/quotes', {
        items: request.items,
        couponCode: request.couponCode,
      });
      const tax = await deps.tax.post<TaxAnswer>('/tax', {
        country: request.shippingAddress.country,
        postalCode: request.shippingAddress.postalCode,
        amountCents: quote.totalBeforeTaxCents,
      });
      return {
        currency: quote.currency,
        subtotalCents: quote.subtotalCents,
        discountCents: quote.discountCents,
        taxCents: tax.taxCents,
        totalCents: quote.totalBeforeTaxCents + tax.taxCents,
        taxJurisdiction: tax.jurisdiction,
      };
    },

    async reserveInventory({ orderId, request }): Promise<Reservation> {
      // The reservation id is the order id: a retried reserve returns the same hold, never a second one.
      const r = await deps.inventory.post<Reservation>('/reservations', {
        reservationId: orderId,
        items: request.items,
        ttlSeconds: RESERVATION_TTL_SECONDS,
      });
      return { reservationId: r.reservationId, expiresAt: r.expiresAt };
    },

    async releaseInventoryReservation({ orderId }) {
      const released = await deps.inventory.postAllowing<{ status: string }>(
        `/reservations/${enc(orderId)}/release`,
        {},
        [404],
      );
      return released ? `reservation ${released.status}` : 'no reservation to release';
    },

    async createShipment({ orderId, request }): Promise<Shipment> {
      const s = await deps.shipping.post<Shipment>('/shipments', {
        shipmentId: orderId,
        orderId,
        address: request.shippingAddress,
        items: request.items,
      });
      return { shipmentId: s.shipmentId, trackingNumber: s.trackingNumber, carrier: s.carrier };
    },

    async cancelShipment({ orderId }) {
      const cancelled = await deps.shipping.postAllowing<{ status: string }>(
        `/shipments/${enc(orderId)}/cancel`,
        {},
        [404],
      );
      return cancelled ? `shipment ${cancelled.status}` : 'no shipment to cancel';
    },

    async finalizeOrder({ orderId, request, pricing, payment, shipment }) {
      // Each part is idempotent, so the activity can retry until all of it has happened.
      await deps.inventory.post(`/reservations/${enc(orderId)}/commit`);
      await deps.store.markCompleted({ orderId, request, pricing, payment, shipment });
      // A Kafka outage fails this attempt and Temporal retries until Kafka is back: the event is never
      // lost, and its id is the same on every attempt, so consumers apply a duplicate once.
      await deps.events.publishOrderCompleted(
        orderCompletedEvent({ orderId, request, pricing, payment, shipment, occurredAt: outcomeTime() }),
      );
      await deps.notification.post('/notifications', {
        notificationId: `${orderId}:confirmation`,
        orderId,
        customerId: request.customerId,
        template: 'order_confirmation',
        channel: 'email',
        data: {
          totalCents: pricing.totalCents,
          currency: pricing.currency,
          trackingNumber: shipment.trackingNumber,
          carrier: shipment.carrier,
        },
      });
    },

    async recordOrderFailed({ orderId, request, status, failure, compensations, pricing }) {
      await deps.store.markFailed({ orderId, request, status, failure, compensations, pricing });
      // Published after the compensations have run: a Kafka outage never blocks them.
      await deps.events.publishOrderFailed(
        orderFailedEvent({
          orderId,
          request,
          status,
          failure,
          compensations,
          pricing,
          occurredAt: outcomeTime(),
        }),
      );
      await deps.notification.post('/notifications', {
        notificationId: `${orderId}:failure`,
        orderId,
        customerId: request.customerId,
        template: 'order_failed',
        channel: 'email',
        data: { reason: failure.type, step: failure.step },
      });
    },
  };
}
