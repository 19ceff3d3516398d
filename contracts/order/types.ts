// The order as ProcessOrderWorkflow, its activities and order-api see it. Plain data only: this module
// is imported by workflow code, so it must stay deterministic (no I/O, no Node builtins).

export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
}

export interface ShippingAddress {
  readonly line1: string;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
}

/** What a client submits to POST /orders. */
export interface OrderRequest {
  readonly customerId: string;
  readonly items: readonly OrderItem[];
  readonly shippingAddress: ShippingAddress;
  /** A Stripe PaymentMethod id, e.g. `pm_card_visa`. */
  readonly paymentMethod: string;
  readonly couponCode?: string;
}

export interface ProcessOrderInput {
  readonly orderId: string;
  readonly request: OrderRequest;
  /** How long a flagged order waits for a human decision before the deadline outcome applies. */
  readonly reviewTimeoutSeconds?: number;
  /** The trace order-api started the order in: links the workflow's metrics to it (exemplars). */
  readonly traceId?: string;
}

export interface Pricing {
  readonly currency: string;
  readonly subtotalCents: number;
  readonly discountCents: number;
  readonly taxCents: number;
  readonly totalCents: number;
  readonly taxJurisdiction: string;
}

export type FraudDecision = 'approve' | 'review' | 'reject';

export interface FraudAssessment {
  readonly decision: FraudDecision;
  readonly score: number;
  readonly reasons: readonly string[];
}

export interface ReviewDecision {
  readonly decision: 'approve' | 'reject';
  readonly reviewer: string;
  readonly note?: string;
}

export interface Reservation {
  readonly reservationId: string;
  readonly expiresAt: string;
}

export interface Payment {
  readonly paymentIntentId: string;
  readonly chargeId?: string;
  readonly amountCents: number;
  readonly currency: string;
}

export interface Shipment {
  readonly shipmentId: string;
  readonly trackingNumber: string;
  readonly carrier: string;
}

/**
 * Every status an order can show. One per saga step while it runs, then a terminal one.
 * `compensation_failed`: the order failed and at least one compensation could not be completed
 * (e.g. a refund that did not happen): it needs a human, and alerts page on it.
 */
export const ORDER_STATUSES = [
  'received',
  'validating',
  'pricing',
  'fraud_check',
  'awaiting_review',
  'reserving_inventory',
  'processing_payment',
  'creating_shipment',
  'finalizing',
  'compensating',
  'completed',
  'failed',
  'compensation_failed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The ADR's steps, in order, and the compensations. */
export type StepName =
  | 'ValidateOrder'
  | 'CalculatePricing'
  | 'RunFraudCheck'
  | 'HumanReview'
  | 'ReserveInventory'
  | 'ProcessPayment'
  | 'CreateShipment'
  | 'FinalizeOrder'
  | 'CancelShipment'
  | 'RefundPayment'
  | 'ReleaseInventoryReservation'
  | 'RecordOrderFailed';

/** The steps of an order that needs no review, in the ADR's order: what a completed order went through. */
export const ADR_STEPS = [
  'ValidateOrder',
  'CalculatePricing',
  'RunFraudCheck',
  'ReserveInventory',
  'ProcessPayment',
  'CreateShipment',
  'FinalizeOrder',
] as const satisfies readonly StepName[];

export interface TimelineEntry {
  readonly step: StepName;
  readonly status: 'started' | 'completed' | 'failed' | 'skipped';
  readonly at: string;
  readonly detail?: string;
}

export interface OrderFailure {
  readonly step: StepName;
  /** Stable failure type, e.g. `PaymentDeclined`, `InsufficientStock`, `FraudRejected`. */
  readonly type: string;
  readonly message: string;
}

export interface CompensationOutcome {
  readonly step: StepName;
  readonly outcome: 'completed' | 'failed';
  readonly detail?: string;
}

/** Live state, answered by the `orderState` query and mirrored into the order store at the end. */
export interface OrderState {
  readonly orderId: string;
  status: OrderStatus;
  timeline: TimelineEntry[];
  pricing?: Pricing;
  fraud?: FraudAssessment;
  review?: ReviewDecision;
  reservation?: Reservation;
  payment?: Payment;
  shipment?: Shipment;
  failure?: OrderFailure;
  compensations: CompensationOutcome[];
}

export type OrderOutcome = Pick<
  OrderState,
  'orderId' | 'status' | 'pricing' | 'payment' | 'shipment' | 'failure' | 'compensations'
>;
