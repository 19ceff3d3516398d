// Demo stock: plenty of the everyday SKUs, a few of a limited print (the third order takes the last one),
// and a sold-out sneaker. Inserted only when there is no stock at all, so restarts keep what was sold.
import { type Database, transaction } from '../../platform/sqlite.ts';
import { inventoryStore, type SkuRecord } from './store.ts';

export const seedStock: readonly SkuRecord[] = [
  { sku: 'sku-widget', name: 'Widget', onHand: 10_000 },
  { sku: 'sku-gadget', name: 'Gadget', onHand: 5_000 },
  { sku: 'sku-gizmo', name: 'Gizmo', onHand: 200 },
  { sku: 'sku-limited', name: 'Limited edition print', onHand: 3 },
  { sku: 'sku-soldout', name: 'Sold-out sneaker', onHand: 0 },
];

/** Inserts the demo stock if there is none; returns how many SKUs it inserted. */
export function seed(db: Database): number {
  const store = inventoryStore(db);
  return transaction(db, () => {
    if (store.skuCount() > 0) return 0;
    for (const s of seedStock) store.upsertSku(s);
    return seedStock.length;
  });
}
