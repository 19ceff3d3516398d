// The price list: what one unit of each SKU costs, in cents.
import { type Database, transaction } from '../../platform/sqlite.ts';
import { AppError } from '../../platform/errors.ts';
import { PricingErrors } from './errors.ts';
import { type PriceRecord, type PricingStore } from './store.ts';

export interface PriceView {
  readonly sku: string;
  readonly name: string;
  readonly unitPriceCents: number;
  readonly currency: 'usd';
}

const toView = (p: PriceRecord): PriceView => ({ ...p, currency: 'usd' });

export function catalogService(db: Database, store: PricingStore) {
  return {
    get(sku: string): PriceView {
      const found = store.price(sku);
      if (!found) throw new AppError(PricingErrors.skuNotFound, 404, `sku ${sku} has no price`, { sku });
      return toView(found);
    },

    /** Admin: sets a SKU's price, adding the SKU if it is new. Quotes already given are not touched. */
    set(
      sku: string,
      change: { readonly name?: string | undefined; readonly unitPriceCents: number },
    ): PriceView {
      return transaction(db, () => {
        const record: PriceRecord = {
          sku,
          name: change.name ?? store.price(sku)?.name ?? sku,
          unitPriceCents: change.unitPriceCents,
        };
        store.upsertPrice(record);
        return toView(record);
      });
    },
  };
}
