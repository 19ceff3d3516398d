// SQL for the price list and coupons. Money is integer cents; percentages are basis points (1% = 100);
// times are epoch milliseconds.
import { type Database } from '../../platform/sqlite.ts';

export const migrations: readonly string[] = [
  `CREATE TABLE prices (
     sku              TEXT PRIMARY KEY,
     name             TEXT NOT NULL,
     unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
     currency         TEXT NOT NULL DEFAULT 'usd' CHECK (currency = 'usd')
   ) STRICT;
   CREATE TABLE coupons (
     code               TEXT PRIMARY KEY,
     description        TEXT NOT NULL,
     percent_off_bps    INTEGER CHECK (percent_off_bps BETWEEN 1 AND 10000),
     amount_off_cents   INTEGER CHECK (amount_off_cents > 0),
     min_subtotal_cents INTEGER NOT NULL DEFAULT 0 CHECK (min_subtotal_cents >= 0),
     expires_at         INTEGER,
     -- A coupon takes a percentage or an amount off, never both.
     CHECK ((percent_off_bps IS NULL) <> (amount_off_cents IS NULL))
   ) STRICT;`,
];

export interface PriceRecord {
  readonly sku: string;
  readonly name: string;
  readonly unitPriceCents: number;
}

export interface CouponRecord {
  readonly code: string;
  readonly description: string;
  readonly percentOffBps: number | null;
  readonly amountOffCents: number | null;
  readonly minSubtotalCents: number;
  /** Epoch ms; null never expires. */
  readonly expiresAt: number | null;
}

// node:sqlite rejects unknown named parameters but binds missing ones as NULL: pass exactly the columns.
export function pricingStore(db: Database) {
  const price = db.prepare('SELECT sku, name, unit_price_cents AS unitPriceCents FROM prices WHERE sku = ?');
  const priceCount = db.prepare('SELECT count(*) AS n FROM prices');
  const upsertPrice = db.prepare(
    `INSERT INTO prices (sku, name, unit_price_cents) VALUES (:sku, :name, :unitPriceCents)
     ON CONFLICT (sku) DO UPDATE SET name = excluded.name, unit_price_cents = excluded.unit_price_cents`,
  );
  const coupon = db.prepare(
    `SELECT code, description, percent_off_bps AS percentOffBps, amount_off_cents AS amountOffCents,
            min_subtotal_cents AS minSubtotalCents, expires_at AS expiresAt
     FROM coupons WHERE code = ?`,
  );
  const couponCount = db.prepare('SELECT count(*) AS n FROM coupons');
  const upsertCoupon = db.prepare(
    `INSERT INTO coupons (code, description, percent_off_bps, amount_off_cents, min_subtotal_cents, expires_at)
     VALUES (:code, :description, :percentOffBps, :amountOffCents, :minSubtotalCents, :expiresAt)
     ON CONFLICT (code) DO UPDATE SET description = excluded.description, percent_off_bps = excluded.percent_off_bps,
       amount_off_cents = excluded.amount_off_cents, min_subtotal_cents = excluded.min_subtotal_cents,
       expires_at = excluded.expires_at`,
  );

  return {
    price: (sku: string) => price.get(sku) as PriceRecord | undefined,
    priceCount: () => (priceCount.get() as { n: number }).n,
    upsertPrice: ({ sku, name, unitPriceCents }: PriceRecord): void =>
      void upsertPrice.run({ sku, name, unitPriceCents }),
    coupon: (code: string) => coupon.get(code) as CouponRecord | undefined,
    couponCount: () => (couponCount.get() as { n: number }).n,
    upsertCoupon: ({
      code,
      description,
      percentOffBps,
      amountOffCents,
      minSubtotalCents,
      expiresAt,
    }: CouponRecord): void =>
      void upsertCoupon.run({
        code,
        description,
        percentOffBps,
        amountOffCents,
        minSubtotalCents,
        expiresAt,
      }),
  };
}

export type PricingStore = ReturnType<typeof pricingStore>;
