// SQL for stock and reservations. Times are epoch milliseconds. What is reserved is never stored as a
// counter: it is the sum of the held, unexpired reservations at the moment asked, so an expired hold
// frees its stock without anything having to run (the sweep only writes the status down).
import { type Database } from '../../platform/sqlite.ts';

export const migrations: readonly string[] = [
  `CREATE TABLE skus (
     sku     TEXT PRIMARY KEY,
     name    TEXT NOT NULL,
     on_hand INTEGER NOT NULL CHECK (on_hand >= 0)
   ) STRICT;
   CREATE TABLE reservations (
     id         TEXT PRIMARY KEY,
     status     TEXT NOT NULL CHECK (status IN ('held', 'released', 'committed', 'expired')),
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   ) STRICT;
   -- Reserved stock is summed from the held reservations through this index (few rows at any time),
   -- never by scanning every item a SKU was ever reserved in.
   CREATE INDEX reservations_by_status ON reservations (status, expires_at);
   CREATE TABLE reservation_items (
     reservation_id TEXT NOT NULL REFERENCES reservations (id),
     sku            TEXT NOT NULL REFERENCES skus (sku),
     quantity       INTEGER NOT NULL CHECK (quantity > 0),
     PRIMARY KEY (reservation_id, sku)
   ) STRICT;`,
];

export type StoredStatus = 'held' | 'released' | 'committed' | 'expired';

export interface SkuRecord {
  readonly sku: string;
  readonly name: string;
  readonly onHand: number;
}

export interface ReservationRecord {
  readonly id: string;
  readonly status: StoredStatus;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly updatedAt: number;
}

export interface ItemRecord {
  readonly sku: string;
  readonly quantity: number;
}

// node:sqlite rejects unknown named parameters but binds missing ones as NULL: pass exactly the columns.
export function inventoryStore(db: Database) {
  const sku = db.prepare('SELECT sku, name, on_hand AS onHand FROM skus WHERE sku = ?');
  const skuCount = db.prepare('SELECT count(*) AS n FROM skus');
  const upsertSku = db.prepare(
    `INSERT INTO skus (sku, name, on_hand) VALUES (:sku, :name, :onHand)
     ON CONFLICT (sku) DO UPDATE SET name = excluded.name, on_hand = excluded.on_hand`,
  );
  const takeOnHand = db.prepare('UPDATE skus SET on_hand = on_hand - :quantity WHERE sku = :sku');
  const reserved = db.prepare(
    `SELECT coalesce(sum(i.quantity), 0) AS reserved
     FROM reservations r JOIN reservation_items i ON i.reservation_id = r.id AND i.sku = :sku
     WHERE r.status = 'held' AND r.expires_at > :now`,
  );
  const reservation = db.prepare(
    'SELECT id, status, created_at AS createdAt, expires_at AS expiresAt, updated_at AS updatedAt FROM reservations WHERE id = ?',
  );
  const items = db.prepare(
    'SELECT sku, quantity FROM reservation_items WHERE reservation_id = ? ORDER BY sku',
  );
  const insertReservation = db.prepare(
    `INSERT INTO reservations (id, status, created_at, expires_at, updated_at)
     VALUES (:id, :status, :createdAt, :expiresAt, :updatedAt)`,
  );
  const insertItem = db.prepare(
    'INSERT INTO reservation_items (reservation_id, sku, quantity) VALUES (:reservationId, :sku, :quantity)',
  );
  const setStatus = db.prepare(
    'UPDATE reservations SET status = :status, updated_at = :updatedAt WHERE id = :id',
  );
  const expireDue = db.prepare(
    `UPDATE reservations SET status = 'expired', updated_at = :now WHERE status = 'held' AND expires_at <= :now`,
  );

  return {
    sku: (id: string) => sku.get(id) as SkuRecord | undefined,
    skuCount: () => (skuCount.get() as { n: number }).n,
    upsertSku: ({ sku, name, onHand }: SkuRecord): void => void upsertSku.run({ sku, name, onHand }),
    takeOnHand: (sku: string, quantity: number): void => void takeOnHand.run({ sku, quantity }),
    /** Quantity of `sku` in reservations still held at `now`. */
    reserved: (sku: string, now: number) => (reserved.get({ sku, now }) as { reserved: number }).reserved,

    reservation: (id: string) => reservation.get(id) as ReservationRecord | undefined,
    items: (reservationId: string) => items.all(reservationId) as unknown as ItemRecord[],
    insertReservation(
      { id, status, createdAt, expiresAt, updatedAt }: ReservationRecord,
      lines: readonly ItemRecord[],
    ): void {
      insertReservation.run({ id, status, createdAt, expiresAt, updatedAt });
      for (const { sku, quantity } of lines) insertItem.run({ reservationId: id, sku, quantity });
    },
    setStatus: (id: string, status: StoredStatus, updatedAt: number): void =>
      void setStatus.run({ id, status, updatedAt }),
    /** Writes down the expiry of holds past their time; returns how many. */
    expireDue: (now: number) => Number(expireDue.run({ now }).changes),
  };
}

export type InventoryStore = ReturnType<typeof inventoryStore>;
