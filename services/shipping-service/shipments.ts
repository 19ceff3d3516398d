// Shipments: label creation (idempotent by shipmentId), cancellation (only before the carrier picked the
// parcel up, as with real label voiding), and pickup (an admin stand-in for the carrier's scan).
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { assertDeliverable } from './addresses.ts';
import { type CarrierApi } from './carriers.ts';
import { ShippingErrors } from './errors.ts';
import { type Shipment, type ShipmentStatus, type ShipmentStore } from './store.ts';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'must be 1-128 letters, digits or _.:-');
const text = (max: number) => z.string().trim().min(1).max(max);

export const shipmentRequest = z.object({
  shipmentId: id,
  orderId: id,
  address: z.object({
    line1: text(200),
    line2: text(200).optional(),
    city: text(100),
    postalCode: text(20),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
      .transform((c) => c.toUpperCase()),
  }),
  items: z
    .array(z.object({ sku: text(64), quantity: z.number().int().min(1).max(10_000) }))
    .min(1)
    .max(500),
});
export type ShipmentRequest = z.infer<typeof shipmentRequest>;

export const shipmentParams = z.object({ id });

/** What callers see. The address stays inside the service (it is on the label, not in responses or logs). */
export interface ShipmentView {
  readonly shipmentId: string;
  readonly orderId: string;
  readonly trackingNumber: string;
  readonly carrier: string;
  readonly status: ShipmentStatus;
  readonly labelUrl: string;
  readonly createdAt: string;
  readonly pickedUpAt: string | null;
  readonly cancelledAt: string | null;
}

export interface ShippingDeps {
  readonly store: ShipmentStore;
  readonly carrier: CarrierApi;
  /** Where labels are served from: `<labelBaseUrl>/shipments/<id>/label`. */
  readonly labelBaseUrl: string;
  readonly now?: () => Date;
}

export interface ShippingService {
  create(request: ShipmentRequest): Promise<{ shipment: ShipmentView; created: boolean }>;
  get(shipmentId: string): ShipmentView;
  /** The stored shipment with its address, for the label. */
  find(shipmentId: string): Shipment;
  cancel(shipmentId: string): { shipmentId: string; status: 'cancelled'; cancelledAt: string };
  pickUp(shipmentId: string): ShipmentView;
}

export function createShippingService({
  store,
  carrier,
  labelBaseUrl,
  now = () => new Date(),
}: ShippingDeps): ShippingService {
  const view = (s: Shipment): ShipmentView => ({
    shipmentId: s.shipmentId,
    orderId: s.orderId,
    trackingNumber: s.trackingNumber,
    carrier: s.carrier,
    status: s.status,
    labelUrl: `${labelBaseUrl}/shipments/${encodeURIComponent(s.shipmentId)}/label`,
    createdAt: s.createdAt,
    pickedUpAt: s.pickedUpAt,
    cancelledAt: s.cancelledAt,
  });

  const find = (shipmentId: string): Shipment => {
    const shipment = store.find(shipmentId);
    if (!shipment)
      throw new AppError(ShippingErrors.shipmentNotFound, 404, `shipment ${shipmentId} not found`);
    return shipment;
  };

  /** A replay must be the same request: one shipmentId never ships two different orders. */
  const replay = (existing: Shipment, request: ShipmentRequest) => {
    if (existing.orderId !== request.orderId) {
      throw new AppError(
        ShippingErrors.shipmentIdConflict,
        409,
        `shipment ${request.shipmentId} already exists for another order`,
        { shipmentId: request.shipmentId },
      );
    }
    return { shipment: view(existing), created: false };
  };

  return {
    async create(request) {
      const existing = store.find(request.shipmentId);
      if (existing) return replay(existing, request);
      assertDeliverable(request.address);
      // Tracking numbers are random; on the rare clash with another shipment's, ask for another label.
      for (let attempt = 0; attempt < 5; attempt++) {
        const label = await carrier.createLabel(request.address.country);
        const result = store.insert({
          shipmentId: request.shipmentId,
          orderId: request.orderId,
          ...label,
          status: 'label_created',
          address: request.address,
          items: request.items,
          createdAt: now().toISOString(),
        });
        // Not created: a concurrent request with the same shipmentId got there first while we waited.
        if (result)
          return result.created
            ? { shipment: view(result.shipment), created: true }
            : replay(result.shipment, request);
      }
      throw new Error(`no unique tracking number after 5 labels for shipment ${request.shipmentId}`);
    },

    get: (shipmentId) => view(find(shipmentId)),
    find,

    cancel(shipmentId) {
      const shipment = find(shipmentId);
      if (shipment.status === 'label_created')
        store.transition(shipmentId, 'label_created', 'cancelled', now().toISOString());
      const current = find(shipmentId);
      if (current.status === 'in_transit') {
        throw new AppError(
          ShippingErrors.shipmentAlreadyInTransit,
          409,
          `shipment ${shipmentId} was picked up by ${current.carrier}; its label can no longer be voided`,
          { status: current.status, trackingNumber: current.trackingNumber },
        );
      }
      return { shipmentId, status: 'cancelled', cancelledAt: current.cancelledAt! };
    },

    pickUp(shipmentId) {
      const shipment = find(shipmentId);
      if (shipment.status === 'label_created')
        store.transition(shipmentId, 'label_created', 'in_transit', now().toISOString());
      const current = find(shipmentId);
      if (current.status === 'cancelled') {
        throw new AppError(
          ShippingErrors.shipmentCancelled,
          409,
          `shipment ${shipmentId} was cancelled; there is nothing to pick up`,
          {
            status: current.status,
          },
        );
      }
      return view(current);
    },
  };
}
