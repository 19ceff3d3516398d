import { describe, expect, it } from 'vitest';
import type { Payment, Shipment } from '../contracts/order/types.ts';
import { orderCompletedEvent, orderFailedEvent } from './order-events.ts';
import { orderCompletedSchema, orderFailedSchema } from '../contracts/events/schemas.ts';

const request = {
  customerId: 'cus-42',
  items: [{ sku: 'SKU-1', quantity: 3 }],
  shippingAddress: { line1: '221B Baker Street', city: 'London', postalCode: 'NW1 6XE', country: 'GB' },
  paymentMethod: 'pm_card_visa',
  couponCode: 'WELCOME10',
};
// Full domain objects, as the activities hold them: the builders must pick only the contract's fields.
const payment: Payment = { paymentIntentId: 'pi_1', chargeId: 'ch_1', amountCents: 2916, currency: 'usd' };
const shipment: Shipment = { shipmentId: 'ord-1', trackingNumber: '1Z999', carrier: 'ups' };
const pricing = {
  currency: 'usd',
  subtotalCents: 3000,
  discountCents: 300,
  taxCents: 216,
  totalCents: 2916,
  taxJurisdiction: 'US-CA',
};

describe('order events from saga inputs', () => {
  it('when events are built from inputs carrying an address and a payment method, then neither reaches the event', () => {
    const completed = orderCompletedEvent({
      orderId: 'ord-1',
      request,
      pricing,
      payment,
      shipment,
      occurredAt: new Date('2026-01-02T03:04:05Z'),
    });
    const failed = orderFailedEvent({
      orderId: 'ord-2',
      request,
      status: 'compensation_failed',
      failure: { step: 'ProcessPayment', type: 'PaymentDeclined', message: 'card declined' },
      compensations: [
        { step: 'ReleaseInventoryReservation', outcome: 'failed', detail: 'inventory-service 503' },
      ],
    });
    for (const event of [completed, failed]) {
      const json = JSON.stringify(event);
      for (const secret of [
        'Baker',
        'London',
        'NW1',
        'pm_card_visa',
        'WELCOME10',
        'ch_1',
        'inventory-service 503',
      ])
        expect(json).not.toContain(secret);
    }
    expect(completed).toMatchObject({
      eventType: 'OrderCompleted',
      customerId: 'cus-42',
      totalCents: 2916,
      occurredAt: Date.parse('2026-01-02T03:04:05Z'),
    });
    expect(failed).toMatchObject({
      eventType: 'OrderFailed',
      status: 'compensation_failed',
      failedStep: 'ProcessPayment',
      totalCents: null,
      currency: null,
    });
  });

  it('when events are built, then they have exactly the fields of their Avro schemas', () => {
    const completed = orderCompletedEvent({
      orderId: 'o',
      request,
      pricing,
      payment,
      shipment,
    });
    const failed = orderFailedEvent({
      orderId: 'o',
      request,
      status: 'failed',
      failure: { step: 'ValidateOrder', type: 'OutOfStock', message: 'm' },
      compensations: [],
      pricing,
    });
    expect(Object.keys(completed).sort()).toEqual(orderCompletedSchema.fields.map((f) => f.name).sort());
    expect(Object.keys(failed).sort()).toEqual(orderFailedSchema.fields.map((f) => f.name).sort());
    expect(orderCompletedSchema.namespace).toBe('dev.orderflow.orders.v1');
    expect(orderFailedSchema.namespace).toBe('dev.orderflow.orders.v1');
  });
});
