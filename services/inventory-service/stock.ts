// Stock levels: what is on hand, what live reservations hold, and what is left to promise.
import { type Database, transaction } from '../../platform/sqlite.ts';
import { AppError } from '../../platform/errors.ts';
import { InventoryErrors } from './errors.ts';
import { type InventoryStore } from './store.ts';

export interface Line {
  readonly sku: string;
  readonly quantity: number;
}

export interface StockView {
  readonly sku: string;
  readonly name: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
}

export interface AvailabilityView {
  readonly available: boolean;
  readonly items: readonly { readonly sku: string; readonly requested: number; readonly available: number }[];
}

export const skuNotFound = (sku: string): AppError =>
  new AppError(InventoryErrors.skuNotFound, 404, `sku ${sku} not found`, { sku });

/** One line per SKU, quantities summed, in first-seen order: stock is per SKU, however the cart lists it. */
export function mergeLines(items: readonly Line[]): Line[] {
  const bySku = new Map<string, number>();
  for (const { sku, quantity } of items) bySku.set(sku, (bySku.get(sku) ?? 0) + quantity);
  return [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
}

export function stockService(db: Database, store: InventoryStore, now: () => Date) {
  const level = (sku: string, at: number): StockView => {
    const record = store.sku(sku);
    if (!record) throw skuNotFound(sku);
    const reserved = store.reserved(sku, at);
    return {
      sku,
      name: record.name,
      onHand: record.onHand,
      reserved,
      available: Math.max(0, record.onHand - reserved),
    };
  };

  return {
    level,

    stock: (sku: string): StockView => level(sku, now().getTime()),

    availability(items: readonly Line[]): AvailabilityView {
      const at = now().getTime();
      const lines = mergeLines(items).map(({ sku, quantity }) => ({
        sku,
        requested: quantity,
        available: level(sku, at).available,
      }));
      return { available: lines.every((l) => l.requested <= l.available), items: lines };
    },

    /** Admin: sets what is on hand (a stock count or a delivery), creating the SKU if it is new. */
    restock(sku: string, change: { readonly name?: string | undefined; readonly onHand: number }): StockView {
      return transaction(db, () => {
        const at = now().getTime();
        const current = store.sku(sku);
        const reserved = current ? store.reserved(sku, at) : 0;
        if (change.onHand < reserved) {
          throw new AppError(
            InventoryErrors.stockBelowReserved,
            409,
            `sku ${sku} has ${reserved} reserved; on hand cannot go below that`,
            {
              sku,
              onHand: change.onHand,
              reserved,
            },
          );
        }
        store.upsertSku({ sku, name: change.name ?? current?.name ?? sku, onHand: change.onHand });
        return level(sku, at);
      });
    },
  };
}

export type StockService = ReturnType<typeof stockService>;
