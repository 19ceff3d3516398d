// Coupons: a percentage or a fixed amount off, optionally with a minimum subtotal and an expiry. Codes are
// matched case-insensitively (stored upper-case), as customers type them.
import { type Database, transaction } from '../../platform/sqlite.ts';
import { AppError } from '../../platform/errors.ts';
import { PricingErrors } from './errors.ts';
import { formatUsd, percentOf } from './money.ts';
import { type CouponRecord, type PricingStore } from './store.ts';

export interface CouponView {
  readonly code: string;
  readonly description: string;
  readonly percentOff?: number;
  readonly amountOffCents?: number;
  readonly minSubtotalCents: number;
  readonly expiresAt: string | null;
}

export interface CouponChange {
  readonly description: string;
  readonly percentOff?: number | undefined;
  readonly amountOffCents?: number | undefined;
  readonly minSubtotalCents: number;
  readonly expiresAt: string | null;
}

export const normalizeCode = (code: string): string => code.trim().toUpperCase();

const toView = (c: CouponRecord): CouponView => ({
  code: c.code,
  description: c.description,
  ...(c.percentOffBps !== null ? { percentOff: c.percentOffBps / 100 } : {}),
  ...(c.amountOffCents !== null ? { amountOffCents: c.amountOffCents } : {}),
  minSubtotalCents: c.minSubtotalCents,
  expiresAt: c.expiresAt === null ? null : new Date(c.expiresAt).toISOString(),
});

export function couponService(db: Database, store: PricingStore) {
  return {
    /**
     * The coupon's discount on an order, or the business reason it does not apply. `subtotalCents` is what
     * the minimum is checked against; `discountableCents` (after volume discounts) is what it takes off from,
     * and never more than that.
     */
    apply(
      code: string,
      at: number,
      subtotalCents: number,
      discountableCents: number,
    ): { readonly coupon: CouponRecord; readonly amountCents: number } {
      const coupon = store.coupon(normalizeCode(code));
      if (!coupon)
        throw new AppError(PricingErrors.invalidCoupon, 422, `coupon ${code} does not exist`, {
          couponCode: code,
        });
      if (coupon.expiresAt !== null && coupon.expiresAt <= at) {
        throw new AppError(PricingErrors.couponExpired, 422, `coupon ${coupon.code} expired`, {
          couponCode: coupon.code,
          expiredAt: new Date(coupon.expiresAt).toISOString(),
        });
      }
      if (subtotalCents < coupon.minSubtotalCents) {
        throw new AppError(
          PricingErrors.couponMinimumNotMet,
          422,
          `coupon ${coupon.code} needs a subtotal of at least ${formatUsd(coupon.minSubtotalCents)}`,
          {
            couponCode: coupon.code,
            minSubtotalCents: coupon.minSubtotalCents,
            subtotalCents,
          },
        );
      }
      const off =
        coupon.percentOffBps !== null
          ? percentOf(discountableCents, coupon.percentOffBps)
          : (coupon.amountOffCents ?? 0);
      return { coupon, amountCents: Math.min(off, discountableCents) };
    },

    get(code: string): CouponView {
      const found = store.coupon(normalizeCode(code));
      if (!found) throw new AppError(PricingErrors.couponNotFound, 404, `coupon ${code} not found`);
      return toView(found);
    },

    /** Admin: creates or replaces a coupon. */
    set(code: string, change: CouponChange): CouponView {
      return transaction(db, () => {
        const record: CouponRecord = {
          code: normalizeCode(code),
          description: change.description,
          percentOffBps: change.percentOff === undefined ? null : Math.round(change.percentOff * 100),
          amountOffCents: change.amountOffCents ?? null,
          minSubtotalCents: change.minSubtotalCents,
          expiresAt: change.expiresAt === null ? null : Date.parse(change.expiresAt),
        };
        store.upsertCoupon(record);
        return toView(record);
      });
    },
  };
}

export type CouponService = ReturnType<typeof couponService>;
