// Which downstream services each step calls (mirrors workflows/activities/*-activities.ts). Used only
// when neither the failure nor a trace names the service a failing step was talking to (a timeout
// carries no details), so diagnose can still check the right Toxiproxy proxies.
import { downstream } from '../../platform/downstream.ts';

const d = downstream;
export const STEP_SERVICES: Readonly<Record<string, readonly string[]>> = {
  ValidateOrder: [d.customer.name, d.inventory.name],
  CalculatePricing: [d.pricing.name, d.tax.name],
  RunFraudCheck: [d.fraud.name],
  RecordReviewDecision: [d.fraud.name],
  ReserveInventory: [d.inventory.name],
  ProcessPayment: [d.payment.name],
  CreateShipment: [d.shipping.name],
  FinalizeOrder: [d.inventory.name, 'kafka', d.notification.name],
  CancelShipment: [d.shipping.name],
  RefundPayment: [d.payment.name],
  ReleaseInventoryReservation: [d.inventory.name],
  RecordOrderFailed: ['kafka', d.notification.name],
};

/** A downstream service's own port (where /admin/faults answers), by its service name. */
export function servicePort(service: string): number | undefined {
  return Object.values(downstream).find((s) => s.name === service)?.port;
}
