// SQL for shipments. Status changes are conditional updates (WHERE status = ...), so a transition only
// happens from the state it is allowed from, whatever else ran in between.
import { type Database } from '../../platform/sqlite.ts';
import { type Address } from './addresses.ts';
import { type CarrierCode } from './carriers.ts';

export const migrations: readonly string[] = [
  `CREATE TABLE shipments (
     shipment_id     TEXT PRIMARY KEY,
     order_id        TEXT NOT NULL,
     tracking_number TEXT NOT NULL UNIQUE,
     carrier         TEXT NOT NULL,
     status          TEXT NOT NULL CHECK (status IN ('label_created', 'in_transit', 'cancelled')),
     line1           TEXT NOT NULL,
     line2           TEXT,
     city            TEXT NOT NULL,
     postal_code     TEXT NOT NULL,
     country         TEXT NOT NULL,
     items           TEXT NOT NULL,
     created_at      TEXT NOT NULL,
     picked_up_at    TEXT,
     cancelled_at    TEXT
   ) STRICT;
   CREATE INDEX shipments_by_order ON shipments (order_id);`,
];

export type ShipmentStatus = 'label_created' | 'in_transit' | 'cancelled';

export interface Item {
  readonly sku: string;
  readonly quantity: number;
}

export interface Shipment {
  readonly shipmentId: string;
  readonly orderId: string;
  readonly trackingNumber: string;
  readonly carrier: CarrierCode;
  readonly status: ShipmentStatus;
  readonly address: Address;
  readonly items: readonly Item[];
  readonly createdAt: string;
  readonly pickedUpAt: string | null;
  readonly cancelledAt: string | null;
}

interface Row {
  shipment_id: string;
  order_id: string;
  tracking_number: string;
  carrier: CarrierCode;
  status: ShipmentStatus;
  line1: string;
  line2: string | null;
  city: string;
  postal_code: string;
  country: string;
  items: string;
  created_at: string;
  picked_up_at: string | null;
  cancelled_at: string | null;
}

const fromRow = (r: Row): Shipment => ({
  shipmentId: r.shipment_id,
  orderId: r.order_id,
  trackingNumber: r.tracking_number,
  carrier: r.carrier,
  status: r.status,
  address: {
    line1: r.line1,
    line2: r.line2 ?? undefined,
    city: r.city,
    postalCode: r.postal_code,
    country: r.country,
  },
  items: JSON.parse(r.items) as Item[],
  createdAt: r.created_at,
  pickedUpAt: r.picked_up_at,
  cancelledAt: r.cancelled_at,
});

export interface ShipmentStore {
  find(shipmentId: string): Shipment | undefined;
  /**
   * Inserts unless the shipmentId exists (`created` false, the stored shipment returned). Undefined when
   * the tracking number is already taken by another shipment: the caller asks for a new one.
   */
  insert(
    s: Omit<Shipment, 'pickedUpAt' | 'cancelledAt'>,
  ): { shipment: Shipment; created: boolean } | undefined;
  /** Moves the shipment from `from` to `to`, stamping `at`; false when it was not in `from`. */
  transition(shipmentId: string, from: ShipmentStatus, to: 'in_transit' | 'cancelled', at: string): boolean;
}

export function createShipmentStore(db: Database): ShipmentStore {
  const select = db.prepare('SELECT * FROM shipments WHERE shipment_id = ?');
  const insert = db.prepare(
    `INSERT INTO shipments (shipment_id, order_id, tracking_number, carrier, status, line1, line2, city,
       postal_code, country, items, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const toInTransit = db.prepare(
    "UPDATE shipments SET status = 'in_transit', picked_up_at = ? WHERE shipment_id = ? AND status = ?",
  );
  const toCancelled = db.prepare(
    "UPDATE shipments SET status = 'cancelled', cancelled_at = ? WHERE shipment_id = ? AND status = ?",
  );

  const find = (shipmentId: string): Shipment | undefined => {
    const row = select.get(shipmentId) as Row | undefined;
    return row && fromRow(row);
  };

  return {
    find,
    insert(s) {
      const { changes } = insert.run(
        s.shipmentId,
        s.orderId,
        s.trackingNumber,
        s.carrier,
        s.status,
        s.address.line1,
        s.address.line2 ?? null,
        s.address.city,
        s.address.postalCode,
        s.address.country,
        JSON.stringify(s.items),
        s.createdAt,
      );
      const shipment = find(s.shipmentId);
      if (!shipment) return undefined;
      return { shipment, created: Number(changes) === 1 };
    },
    transition(shipmentId, from, to, at) {
      const statement = to === 'in_transit' ? toInTransit : toCancelled;
      return Number(statement.run(at, shipmentId, from).changes) === 1;
    },
  };
}
