// Reservations: all-or-nothing holds on stock for one order, keyed by the caller's reservationId so a
// retried activity never reserves twice. A hold lasts until its TTL (ADR-0047: 15 minutes); after that it
// counts as expired and its stock is free again, whether or not the sweep has written that down yet.
import { type Database, transaction } from '../../platform/sqlite.ts';
import { AppError } from '../../platform/errors.ts';
import { InventoryErrors } from './errors.ts';
import { type Line, mergeLines, type StockService } from './stock.ts';
import { type InventoryStore, type ReservationRecord, type StoredStatus } from './store.ts';

export const defaultTtlSeconds = 15 * 60;

export type ReservationStatus = StoredStatus;

export interface ReservationView {
  readonly reservationId: string;
  readonly status: ReservationStatus;
  readonly items: readonly Line[];
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface ReservationRequest {
  readonly reservationId: string;
  readonly items: readonly Line[];
  readonly ttlSeconds: number;
}

const notFound = (id: string): AppError =>
  new AppError(InventoryErrors.reservationNotFound, 404, `reservation ${id} not found`);

/** The status as of `at`: a hold past its time is expired even before the sweep records it. */
const statusAt = (r: ReservationRecord, at: number): ReservationStatus =>
  r.status === 'held' && r.expiresAt <= at ? 'expired' : r.status;

const sameLines = (a: readonly Line[], b: readonly Line[]): boolean => {
  const key = (lines: readonly Line[]) =>
    JSON.stringify([...lines].sort((x, y) => (x.sku < y.sku ? -1 : 1)).map((l) => [l.sku, l.quantity]));
  return key(a) === key(b);
};

export function reservationService(
  db: Database,
  store: InventoryStore,
  stock: StockService,
  now: () => Date,
) {
  const view = (r: ReservationRecord, at: number): ReservationView => ({
    reservationId: r.id,
    status: statusAt(r, at),
    items: store.items(r.id),
    createdAt: new Date(r.createdAt).toISOString(),
    expiresAt: new Date(r.expiresAt).toISOString(),
  });

  const find = (id: string): ReservationRecord => {
    const found = store.reservation(id);
    if (!found) throw notFound(id);
    return found;
  };

  return {
    get: (id: string): ReservationView => view(find(id), now().getTime()),

    /** Holds every line or none. `created` is false when the id was already used (an idempotent replay). */
    reserve(request: ReservationRequest): {
      readonly created: boolean;
      readonly reservation: ReservationView;
    } {
      return transaction(db, () => {
        const at = now().getTime();
        const lines = mergeLines(request.items);
        const existing = store.reservation(request.reservationId);
        if (existing) {
          const replay = view(existing, at);
          // Same id, different order: a caller bug, not a retry. Answering with the old hold would hide it.
          if (!sameLines(replay.items, lines)) {
            throw new AppError(
              InventoryErrors.reservationConflict,
              409,
              `reservation ${request.reservationId} exists with different items`,
              {
                reservationId: request.reservationId,
                items: replay.items,
              },
            );
          }
          return { created: false, reservation: replay };
        }

        const short = lines
          .map(({ sku, quantity }) => ({
            sku,
            requested: quantity,
            available: stock.level(sku, at).available,
          }))
          .filter((l) => l.requested > l.available);
        if (short.length > 0) {
          throw new AppError(
            InventoryErrors.insufficientStock,
            409,
            `not enough stock for ${short.map((l) => l.sku).join(', ')}`,
            short,
          );
        }

        const record: ReservationRecord = {
          id: request.reservationId,
          status: 'held',
          createdAt: at,
          expiresAt: at + request.ttlSeconds * 1000,
          updatedAt: at,
        };
        store.insertReservation(record, lines);
        return { created: true, reservation: view(record, at) };
      });
    },

    /** Gives the stock back. Releasing again, or releasing a hold that already expired, changes nothing. */
    release(id: string): ReservationView {
      return transaction(db, () => {
        const at = now().getTime();
        const current = find(id);
        const status = statusAt(current, at);
        if (status === 'committed') {
          // The goods are sold; putting them back on the shelf is a return, not a release.
          throw new AppError(
            InventoryErrors.reservationCommitted,
            409,
            `reservation ${id} is committed and cannot be released`,
            { status },
          );
        }
        if (status === 'held') store.setStatus(id, 'released', at);
        return view(find(id), at);
      });
    },

    /** The order is final: the held stock leaves on-hand for good. Committing again changes nothing. */
    commit(id: string): ReservationView {
      return transaction(db, () => {
        const at = now().getTime();
        const current = find(id);
        const status = statusAt(current, at);
        if (status === 'released' || status === 'expired') {
          throw new AppError(
            InventoryErrors.reservationNotHeld,
            409,
            `reservation ${id} is ${status}, not held`,
            { status },
          );
        }
        if (status === 'held') {
          for (const { sku, quantity } of store.items(id)) store.takeOnHand(sku, quantity);
          store.setStatus(id, 'committed', at);
        }
        return view(find(id), at);
      });
    },
  };
}

/** Records the expiry of every hold past its time; returns how many. Queries do not depend on it. */
export function expireDueReservations(db: Database, store: InventoryStore, at: Date): number {
  return transaction(db, () => store.expireDue(at.getTime()));
}
