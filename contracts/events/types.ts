// The Kafka contract as TypeScript: one interface per Avro schema in this folder (order-completed.avsc,
// order-failed.avsc). Field for field the same; `schemas.test.ts` checks that the two stay in step.
// Avro `long` is a JS number (safe: amounts and epoch millis stay far below 2^53); timestamp-millis is
// decoded as that number, not a Date; ["null", T] unions are plain `T | null`.

export const EVENT_TYPES = {
  orderCompleted: 'OrderCompleted',
  orderFailed: 'OrderFailed',
} as const;
export type OrderEventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

export interface OrderEventItem {
  readonly sku: string;
  readonly quantity: number;
}

interface OrderEventBase {
  /** UUIDv5 of (eventType, orderId): deterministic per order outcome (see event-id.ts). */
  readonly eventId: string;
  /** When the outcome happened, epoch milliseconds (Avro timestamp-millis). */
  readonly occurredAt: number;
  readonly orderId: string;
  readonly customerId: string;
}

/** orders.completed, key customerId. */
export interface OrderCompletedEvent extends OrderEventBase {
  readonly eventType: typeof EVENT_TYPES.orderCompleted;
  readonly items: readonly OrderEventItem[];
  readonly currency: string;
  readonly subtotalCents: number;
  readonly discountCents: number;
  readonly taxCents: number;
  readonly totalCents: number;
  readonly paymentIntentId: string;
  readonly trackingNumber: string;
  readonly carrier: string;
}

export type OrderFailedStatus = 'failed' | 'compensation_failed';

export interface CompensationRecord {
  readonly step: string;
  readonly outcome: 'completed' | 'failed';
}

/** orders.failed, key orderId. */
export interface OrderFailedEvent extends OrderEventBase {
  readonly eventType: typeof EVENT_TYPES.orderFailed;
  readonly status: OrderFailedStatus;
  readonly failedStep: string;
  readonly failureType: string;
  readonly failureReason: string;
  readonly compensations: readonly CompensationRecord[];
  /** Null when the order failed before pricing. */
  readonly totalCents: number | null;
  readonly currency: string | null;
}

export type OrderEvent = OrderCompletedEvent | OrderFailedEvent;

/** The two event kinds by topic role; used to map topics to schemas and handlers. */
export type OrderEventKind = 'completed' | 'failed';

export interface OrderEventByKind {
  readonly completed: OrderCompletedEvent;
  readonly failed: OrderFailedEvent;
}

export const EVENT_TYPE_OF_KIND: Readonly<Record<OrderEventKind, OrderEventType>> = {
  completed: EVENT_TYPES.orderCompleted,
  failed: EVENT_TYPES.orderFailed,
};
