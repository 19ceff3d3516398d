// Activity signatures, by worker. Workflow code imports this module as types only.
import type {
  CompensationOutcome,
  FraudAssessment,
  OrderFailure,
  OrderRequest,
  OrderStatus,
  Payment,
  Pricing,
  Reservation,
  ReviewDecision,
  Shipment,
} from '../../contracts/order/types.ts';

export interface OrderRef {
  readonly orderId: string;
}

export interface PaymentRequest extends OrderRef {
  readonly customerId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly paymentMethod: string;
}

/** order-worker, task queue `order-processing`. */
export interface OrderActivities {
  validateOrder(input: OrderRef & { request: OrderRequest }): Promise<void>;
  calculatePricing(input: OrderRef & { request: OrderRequest }): Promise<Pricing>;
  reserveInventory(input: OrderRef & { request: OrderRequest }): Promise<Reservation>;
  releaseInventoryReservation(input: OrderRef): Promise<string>;
  createShipment(input: OrderRef & { request: OrderRequest }): Promise<Shipment>;
  cancelShipment(input: OrderRef): Promise<string>;
  finalizeOrder(
    input: OrderRef & { request: OrderRequest; pricing: Pricing; payment: Payment; shipment: Shipment },
  ): Promise<void>;
  recordOrderFailed(
    input: OrderRef & {
      request: OrderRequest;
      status: Extract<OrderStatus, 'failed' | 'compensation_failed'>;
      failure: OrderFailure;
      compensations: readonly CompensationOutcome[];
      pricing?: Pricing;
    },
  ): Promise<void>;
}

/** fraud-worker, task queue `fraud-checks`. */
export interface FraudActivities {
  runFraudCheck(input: OrderRef & { request: OrderRequest; pricing: Pricing }): Promise<FraudAssessment>;
  recordReviewDecision(input: OrderRef & { review: ReviewDecision }): Promise<void>;
}

/** payment-worker, task queue `payments`. */
export interface PaymentActivities {
  processPayment(input: PaymentRequest): Promise<Payment>;
  refundPayment(input: PaymentRequest): Promise<string>;
}
