// A quote: the price of a cart before tax. Order of work, and what each number means:
//   lineTotalCents      = unitPriceCents × quantity (before any discount)
//   subtotalCents       = Σ lineTotalCents
//   volume discount     = per line, 5% at quantity ≥ 10, 10% at ≥ 50, of lineTotalCents, rounded half up
//   coupon              = after volume discounts: a percentage of what is left (rounded half up), or a
//                         fixed amount; never more than what is left, so the total cannot go below 0
//   discountCents       = Σ discounts;  totalBeforeTaxCents = subtotalCents − discountCents
// The same SKU listed twice is one line (quantities summed), so the volume tier sees the whole quantity.
import { AppError } from '../../platform/errors.ts';
import { type CouponService } from './coupons.ts';
import { PricingErrors } from './errors.ts';
import { formatPercent, percentOf } from './money.ts';
import { type PricingStore } from './store.ts';

export interface QuoteRequest {
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
  readonly couponCode?: string | null | undefined;
}

export interface QuoteLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
  readonly lineTotalCents: number;
  readonly volumeDiscountCents: number;
}

export interface Discount {
  readonly kind: 'volume' | 'coupon';
  readonly code?: string;
  readonly description: string;
  readonly amountCents: number;
}

export interface Quote {
  readonly currency: 'usd';
  readonly lines: readonly QuoteLine[];
  readonly subtotalCents: number;
  readonly discounts: readonly Discount[];
  readonly discountCents: number;
  readonly totalBeforeTaxCents: number;
}

/** Highest tier first: the first one a quantity reaches applies. */
export const volumeTiers: readonly { readonly minQuantity: number; readonly bps: number }[] = [
  { minQuantity: 50, bps: 1_000 },
  { minQuantity: 10, bps: 500 },
];

const volumeBps = (quantity: number): number => volumeTiers.find((t) => quantity >= t.minQuantity)?.bps ?? 0;

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

export function quoteService(store: PricingStore, coupons: CouponService, now: () => Date) {
  return {
    quote(request: QuoteRequest): Quote {
      const quantities = new Map<string, number>();
      for (const { sku, quantity } of request.items)
        quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);

      const discounts: Discount[] = [];
      const lines = [...quantities].map(([sku, quantity]): QuoteLine => {
        const price = store.price(sku);
        if (!price)
          throw new AppError(PricingErrors.skuNotFound, 422, `sku ${sku} is not on the price list`, { sku });
        const lineTotalCents = price.unitPriceCents * quantity;
        const bps = volumeBps(quantity);
        const volumeDiscountCents = percentOf(lineTotalCents, bps);
        if (volumeDiscountCents > 0) {
          discounts.push({
            kind: 'volume',
            description: `${formatPercent(bps)} volume discount on ${quantity} × ${sku}`,
            amountCents: volumeDiscountCents,
          });
        }
        return { sku, quantity, unitPriceCents: price.unitPriceCents, lineTotalCents, volumeDiscountCents };
      });

      const subtotalCents = sum(lines.map((l) => l.lineTotalCents));
      const afterVolumeCents = subtotalCents - sum(lines.map((l) => l.volumeDiscountCents));
      if (request.couponCode) {
        const { coupon, amountCents } = coupons.apply(
          request.couponCode,
          now().getTime(),
          subtotalCents,
          afterVolumeCents,
        );
        discounts.push({ kind: 'coupon', code: coupon.code, description: coupon.description, amountCents });
      }

      const discountCents = sum(discounts.map((d) => d.amountCents));
      return {
        currency: 'usd',
        lines,
        subtotalCents,
        discounts,
        discountCents,
        totalBeforeTaxCents: subtotalCents - discountCents,
      };
    },
  };
}
