// The invariants a saga must keep, checked per order from what each system of record says about it: the
// order store, the payment gateway, inventory, shipping and the consumers. Pure: facts in, violations out,
// so every rule is unit-tested on bad input; facts.ts gathers the facts from the running stack.

/** What the order store says. */
export interface StoredOrder {
  readonly orderId: string;
  /** received … completed | failed | compensation_failed (see contracts/order/types.ts). */
  readonly status: string;
  readonly totalCents: number | null;
  readonly createdAt: string;
}

/** One PaymentIntent created for the order (metadata.order_id). */
export interface IntentFact {
  readonly id: string;
  readonly status: string;
  /** Money captured. */
  readonly amountReceived: number;
  /** Money refunded on its charge. */
  readonly amountRefunded: number;
}

/** What every system says about one order. `undefined`: the system has no record of it. */
export interface OrderFacts {
  readonly order: StoredOrder;
  readonly intents: readonly IntentFact[];
  /** held | released | committed | expired */
  readonly reservation?: string;
  /** label_created | in_transit | cancelled */
  readonly shipment?: string;
  /** Events applied per consumer for this order (audit-log, email, …), by event type. */
  readonly events: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export type InvariantName =
  | 'order-lost'
  | 'orphaned-payment'
  | 'double-charge'
  | 'completed-without-shipment'
  | 'completed-without-payment'
  | 'shipment-not-cancelled'
  | 'stock-not-settled'
  | 'event-not-applied-once';

export interface Violation {
  readonly orderId: string;
  readonly invariant: InvariantName;
  readonly detail: string;
}

export interface ReconcileBounds {
  /** An order not terminal after this long is lost (the saga's own bounds: review deadline aside). */
  readonly runningMs: number;
  /** How long consumers may lag behind a terminal order before a missing event counts. */
  readonly eventGraceMs: number;
}

const TERMINAL = new Set(['completed', 'failed', 'compensation_failed']);
/** The order ended in an event on Kafka: which type, and which consumers apply it. */
const EVENT_OF: Readonly<Record<string, string>> = {
  completed: 'OrderCompleted',
  failed: 'OrderFailed',
  compensation_failed: 'OrderFailed',
};

export const isTerminal = (status: string): boolean => TERMINAL.has(status);

export function checkOrder(
  f: OrderFacts,
  now: number,
  bounds: ReconcileBounds,
  consumersOf: Readonly<Record<string, readonly string[]>>,
): Violation[] {
  const v: Violation[] = [];
  const id = f.order.orderId;
  const add = (invariant: InvariantName, detail: string) => v.push({ orderId: id, invariant, detail });
  const age = now - Date.parse(f.order.createdAt);
  const status = f.order.status;
  // Awaiting a reviewer is bounded by the review deadline, not by the saga's running bound.
  if (!isTerminal(status) && status !== 'awaiting_review' && age > bounds.runningMs)
    add('order-lost', `still ${status} after ${Math.round(age / 1000)} s`);

  const captured = f.intents.filter((i) => i.amountReceived > 0);
  const kept = captured.reduce((sum, i) => sum + i.amountReceived - i.amountRefunded, 0);
  if (captured.length > 1)
    add('double-charge', `${captured.length} captured intents: ${captured.map((i) => i.id).join(', ')}`);
  if (status === 'completed') {
    if (f.order.totalCents !== null && kept > f.order.totalCents)
      add('double-charge', `kept ${kept} cents for an order of ${f.order.totalCents}`);
    if (kept <= 0) add('completed-without-payment', 'completed, but no money was kept');
    if (f.shipment === undefined || f.shipment === 'cancelled')
      add('completed-without-shipment', `shipment ${f.shipment ?? 'missing'}`);
    if (f.reservation !== 'committed') add('stock-not-settled', `reservation ${f.reservation ?? 'missing'}`);
  } else if (isTerminal(status)) {
    // compensation_failed is the saga saying "a human must act": reported, not hidden, as what it is.
    if (kept > 0) add('orphaned-payment', `${status}, but ${kept} cents were kept (not refunded)`);
    if (f.reservation === 'held' || f.reservation === 'committed')
      add('stock-not-settled', `${status}, but the reservation is ${f.reservation}`);
    if (f.shipment !== undefined && f.shipment !== 'cancelled')
      add('shipment-not-cancelled', `${status}, but the shipment is ${f.shipment}`);
  }

  const eventType = EVENT_OF[status];
  if (eventType && age > bounds.eventGraceMs) {
    for (const consumer of consumersOf[eventType] ?? []) {
      const applied = f.events[consumer]?.[eventType] ?? 0;
      if (applied !== 1) add('event-not-applied-once', `${consumer} applied ${eventType} ${applied} times`);
    }
  }
  return v;
}

export interface ReconcileReport {
  readonly orders: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly violations: readonly Violation[];
  readonly byInvariant: Readonly<Record<InvariantName, number>>;
  /** True when every invariant held for every order. */
  readonly clean: boolean;
}

export const INVARIANTS: readonly InvariantName[] = [
  'order-lost',
  'orphaned-payment',
  'double-charge',
  'completed-without-shipment',
  'completed-without-payment',
  'shipment-not-cancelled',
  'stock-not-settled',
  'event-not-applied-once',
];

export function reconcile(
  facts: readonly OrderFacts[],
  now: number,
  bounds: ReconcileBounds,
  consumersOf: Readonly<Record<string, readonly string[]>>,
): ReconcileReport {
  const violations = facts.flatMap((f) => checkOrder(f, now, bounds, consumersOf));
  const byStatus: Record<string, number> = {};
  for (const f of facts) byStatus[f.order.status] = (byStatus[f.order.status] ?? 0) + 1;
  const byInvariant = Object.fromEntries(
    INVARIANTS.map((name) => [name, violations.filter((x) => x.invariant === name).length]),
  ) as Record<InvariantName, number>;
  return { orders: facts.length, byStatus, violations, byInvariant, clean: violations.length === 0 };
}
