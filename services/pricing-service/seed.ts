// Demo price list and coupons. sku-limited costs $2,500.00 so that one order of it crosses the fraud
// service's review threshold. Each table is filled only when it is empty, so admin changes survive restarts.
import { type Database, transaction } from '../../platform/sqlite.ts';
import { type CouponRecord, type PriceRecord, pricingStore } from './store.ts';

export const seedPrices: readonly PriceRecord[] = [
  { sku: 'sku-widget', name: 'Widget', unitPriceCents: 1_999 },
  { sku: 'sku-gadget', name: 'Gadget', unitPriceCents: 4_999 },
  { sku: 'sku-gizmo', name: 'Gizmo', unitPriceCents: 12_999 },
  { sku: 'sku-limited', name: 'Limited edition print', unitPriceCents: 250_000 },
  { sku: 'sku-soldout', name: 'Sold-out sneaker', unitPriceCents: 8_999 },
];

export const seedCoupons: readonly CouponRecord[] = [
  {
    code: 'SAVE10',
    description: '10% off your order',
    percentOffBps: 1_000,
    amountOffCents: null,
    minSubtotalCents: 0,
    expiresAt: null,
  },
  {
    code: 'WELCOME5',
    description: '$5.00 off orders of $20.00 or more',
    percentOffBps: null,
    amountOffCents: 500,
    minSubtotalCents: 2_000,
    expiresAt: null,
  },
  {
    code: 'EXPIRED2020',
    description: '20% off (holiday sale 2020)',
    percentOffBps: 2_000,
    amountOffCents: null,
    minSubtotalCents: 0,
    expiresAt: Date.parse('2021-01-01T00:00:00Z'),
  },
];

/** Inserts the demo prices and coupons into empty tables; returns how many rows it inserted. */
export function seed(db: Database): number {
  const store = pricingStore(db);
  return transaction(db, () => {
    let inserted = 0;
    if (store.priceCount() === 0) {
      for (const p of seedPrices) store.upsertPrice(p);
      inserted += seedPrices.length;
    }
    if (store.couponCount() === 0) {
      for (const c of seedCoupons) store.upsertCoupon(c);
      inserted += seedCoupons.length;
    }
    return inserted;
  });
}
