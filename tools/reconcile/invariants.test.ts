import { describe, expect, it } from 'vitest';
import { checkOrder, reconcile, type OrderFacts } from './invariants.ts';

const now = Date.parse('2026-12-02T12:00:00Z');
const bounds = { runningMs: 10 * 60_000, eventGraceMs: 60_000 };
const consumersOf = {
  OrderCompleted: ['audit-log-consumer', 'email-consumer'],
  OrderFailed: ['audit-log-consumer', 'email-consumer'],
};
const longAgo = new Date(now - 30 * 60_000).toISOString();

const completed: OrderFacts = {
  order: { orderId: 'ord-1', status: 'completed', totalCents: 5000, createdAt: longAgo },
  intents: [{ id: 'pi_1', status: 'succeeded', amountReceived: 5000, amountRefunded: 0 }],
  reservation: 'committed',
  shipment: 'label_created',
  events: {
    'audit-log-consumer': { OrderCompleted: 1 },
    'email-consumer': { OrderCompleted: 1 },
  },
};
const compensated: OrderFacts = {
  order: { orderId: 'ord-2', status: 'failed', totalCents: 5000, createdAt: longAgo },
  intents: [{ id: 'pi_2', status: 'succeeded', amountReceived: 5000, amountRefunded: 5000 }],
  reservation: 'released',
  shipment: 'cancelled',
  events: { 'audit-log-consumer': { OrderFailed: 1 }, 'email-consumer': { OrderFailed: 1 } },
};
const check = (f: OrderFacts) => checkOrder(f, now, bounds, consumersOf).map((v) => v.invariant);

describe('reconciliation invariants', () => {
  it('when a completed and a cleanly compensated order are reconciled, then every invariant holds', () => {
    const report = reconcile([completed, compensated], now, bounds, consumersOf);
    expect(report).toMatchObject({ orders: 2, clean: true, byStatus: { completed: 1, failed: 1 } });
    expect(report.violations).toEqual([]);
  });

  it('when a failed order kept money, then it is an orphaned payment', () => {
    expect(check({ ...compensated, intents: [{ ...compensated.intents[0]!, amountRefunded: 0 }] })).toEqual([
      'orphaned-payment',
    ]);
  });

  it('when an order has two captured intents, or kept more than its total, then it is a double charge', () => {
    const second = { id: 'pi_1b', status: 'succeeded', amountReceived: 5000, amountRefunded: 0 };
    expect(check({ ...completed, intents: [...completed.intents, second] })).toEqual([
      'double-charge',
      'double-charge',
    ]);
  });

  it('when a completed order has no shipment, no money or an unsettled reservation, then each is named', () => {
    expect(check({ ...completed, shipment: undefined })).toEqual(['completed-without-shipment']);
    expect(check({ ...completed, shipment: 'cancelled' })).toEqual(['completed-without-shipment']);
    expect(check({ ...completed, intents: [] })).toEqual(['completed-without-payment']);
    expect(check({ ...completed, reservation: 'held' })).toEqual(['stock-not-settled']);
  });

  it('when a failed order still holds stock or a live shipment, then it is named', () => {
    expect(check({ ...compensated, reservation: 'held' })).toEqual(['stock-not-settled']);
    expect(check({ ...compensated, shipment: 'in_transit' })).toEqual(['shipment-not-cancelled']);
  });

  it('when an order is still running past its bound, then it is lost; inside it, or awaiting review, it is not', () => {
    const running = { ...completed, order: { ...completed.order, status: 'processing_payment' } };
    expect(check(running)).toEqual(['order-lost']);
    const young = { ...running, order: { ...running.order, createdAt: new Date(now - 5_000).toISOString() } };
    expect(check(young)).toEqual([]);
    expect(check({ ...running, order: { ...running.order, status: 'awaiting_review' } })).toEqual([]);
  });

  it('when a consumer applied an event twice or never, then it is named; within the grace period it is not', () => {
    const twice = { ...completed, events: { ...completed.events, 'email-consumer': { OrderCompleted: 2 } } };
    expect(checkOrder(twice, now, bounds, consumersOf)).toEqual([
      {
        orderId: 'ord-1',
        invariant: 'event-not-applied-once',
        detail: 'email-consumer applied OrderCompleted 2 times',
      },
    ]);
    expect(check({ ...completed, events: {} })).toEqual(['event-not-applied-once', 'event-not-applied-once']);
    const fresh = {
      ...completed,
      events: {},
      order: { ...completed.order, createdAt: new Date(now - 1000).toISOString() },
    };
    expect(check(fresh)).toEqual([]);
  });

  it('when violations exist, then the report is not clean and counts them per invariant', () => {
    const report = reconcile([completed, { ...compensated, reservation: 'held' }], now, bounds, consumersOf);
    expect(report.clean).toBe(false);
    expect(report.byInvariant['stock-not-settled']).toBe(1);
    expect(report.byInvariant['orphaned-payment']).toBe(0);
  });
});
