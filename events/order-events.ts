// Builders from the saga's domain types to the Kafka contract. They copy named fields only, so an
// address, a payment method or card data can never leak into an event, whatever the inputs carry.
import type {
  CompensationOutcome,
  OrderFailure,
  OrderRequest,
  Payment,
  Pricing,
  Shipment,
} from '../contracts/order/types.ts';
import { orderEventId } from '../contracts/events/event-id.ts';
import {
  EVENT_TYPES,
  type OrderCompletedEvent,
  type OrderFailedEvent,
  type OrderFailedStatus,
} from '../contracts/events/types.ts';

/**
 * When the outcome happened. From an activity pass `Context.current().info.scheduledTimestampMs`: it is
 * the first attempt's schedule time, the same on every retry, so a re-published event is identical.
 */
export type OccurredAt = number | Date;

const millis = (at: OccurredAt | undefined): number =>
  at === undefined ? Date.now() : typeof at === 'number' ? at : at.getTime();

export interface OrderCompletedInput {
  readonly orderId: string;
  readonly request: Pick<OrderRequest, 'customerId' | 'items'>;
  readonly pricing: Pick<Pricing, 'currency' | 'subtotalCents' | 'discountCents' | 'taxCents' | 'totalCents'>;
  readonly payment: Pick<Payment, 'paymentIntentId'>;
  readonly shipment: Pick<Shipment, 'trackingNumber' | 'carrier'>;
  readonly occurredAt?: OccurredAt;
}

/** The OrderCompleted event for FinalizeOrder's input. */
export function orderCompletedEvent(input: OrderCompletedInput): OrderCompletedEvent {
  const { orderId, request, pricing, payment, shipment } = input;
  return {
    eventId: orderEventId(EVENT_TYPES.orderCompleted, orderId),
    eventType: EVENT_TYPES.orderCompleted,
    occurredAt: millis(input.occurredAt),
    orderId,
    customerId: request.customerId,
    items: request.items.map((i) => ({ sku: i.sku, quantity: i.quantity })),
    currency: pricing.currency,
    subtotalCents: pricing.subtotalCents,
    discountCents: pricing.discountCents,
    taxCents: pricing.taxCents,
    totalCents: pricing.totalCents,
    paymentIntentId: payment.paymentIntentId,
    trackingNumber: shipment.trackingNumber,
    carrier: shipment.carrier,
  };
}

export interface OrderFailedInput {
  readonly orderId: string;
  readonly request: Pick<OrderRequest, 'customerId'>;
  readonly status: OrderFailedStatus;
  readonly failure: OrderFailure;
  readonly compensations: readonly CompensationOutcome[];
  readonly pricing?: Pick<Pricing, 'currency' | 'totalCents'>;
  readonly occurredAt?: OccurredAt;
}

/** The OrderFailed event for the failure path's input (recordOrderFailed). */
export function orderFailedEvent(input: OrderFailedInput): OrderFailedEvent {
  const { orderId, request, failure, pricing } = input;
  return {
    eventId: orderEventId(EVENT_TYPES.orderFailed, orderId),
    eventType: EVENT_TYPES.orderFailed,
    occurredAt: millis(input.occurredAt),
    orderId,
    customerId: request.customerId,
    status: input.status,
    failedStep: failure.step,
    failureType: failure.type,
    failureReason: failure.message,
    compensations: input.compensations.map((c) => ({ step: c.step, outcome: c.outcome })),
    totalCents: pricing?.totalCents ?? null,
    currency: pricing?.currency ?? null,
  };
}
