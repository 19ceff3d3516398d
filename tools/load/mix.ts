// The order mix, from the seeded demo data (services/*/seed.ts, README "Demo data"). `realistic`: mostly
// orders that complete, ~2% card declines (Stripe test payment methods), ~0.5% undeliverable addresses,
// ~0.5% expired coupons, and ~1% orders of $2,000 or more that the fraud service sends to review, decided by
// the reviewer scenario (3 of 4 approved). `happy`: only orders that complete, for pure throughput.
import type { Stage } from './profiles.ts';

export type MixName = 'realistic' | 'happy';

interface Address {
  readonly line1: string;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
}

export interface OrderKind {
  readonly name: string;
  readonly weight: number;
  /** What the kind changes in an otherwise ordinary order. */
  readonly override?: {
    readonly paymentMethods?: readonly string[];
    readonly addresses?: readonly Address[];
    readonly couponCode?: string;
    readonly items?: readonly { sku: string; quantity: number }[];
  };
  /** What the order should end as: the mix's expectation, reported beside the outcome. */
  readonly expect: 'completed' | 'declined' | 'reviewed';
}

export interface Mix {
  readonly name: MixName;
  readonly catalog: {
    readonly customers: readonly string[];
    readonly skus: readonly string[];
    readonly addresses: readonly Address[];
    readonly paymentMethods: readonly string[];
    /** An empty string is "no coupon". */
    readonly coupons: readonly string[];
  };
  readonly kinds: readonly OrderKind[];
  /** The reviewer scenario's order (absent in the happy mix) and its share of all orders. */
  readonly review?: OrderKind;
  readonly reviewShare: number;
  readonly reviewer: {
    readonly pollSeconds: number;
    readonly waitSeconds: number;
    readonly thinkSeconds: number;
    readonly approveShare: number;
  };
}

const catalog: Mix['catalog'] = {
  customers: ['cust-alice', 'cust-bob', 'cust-carol', 'cust-dave'],
  // sku-gizmo (200), sku-limited (3) and sku-soldout (0) would sell out and turn the run into stock declines.
  skus: ['sku-widget', 'sku-gadget'],
  addresses: [
    { line1: '1 Main St', city: 'San Francisco', postalCode: '94105', country: 'US' },
    { line1: '350 Fifth Ave', city: 'New York', postalCode: '10118', country: 'US' },
    { line1: '233 S Wacker Dr', city: 'Chicago', postalCode: '60606', country: 'US' },
    { line1: '400 Broad St', city: 'Seattle', postalCode: '98109', country: 'US' },
    { line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'DE' },
    { line1: '5 Avenue Anatole France', city: 'Paris', postalCode: '75007', country: 'FR' },
    { line1: '10 Downing St', city: 'London', postalCode: 'SW1A 2AA', country: 'GB' },
  ],
  paymentMethods: ['pm_card_visa', 'pm_card_mastercard', 'pm_card_amex'],
  coupons: ['', '', '', 'SAVE10', 'WELCOME5'],
};

// The reviewer polls the order until it awaits review (for up to a minute: under a backlog it gets there
// late), thinks a second and decides. What it could not decide, the runner rejects after the run (run.ts).
const reviewer: Mix['reviewer'] = { pollSeconds: 1, waitSeconds: 60, thinkSeconds: 1, approveShare: 0.75 };

const ordinary: OrderKind = { name: 'ordinary', weight: 0, expect: 'completed' };

export const mixes: Readonly<Record<MixName, Mix>> = {
  realistic: {
    name: 'realistic',
    catalog,
    kinds: [
      { ...ordinary, weight: 96 },
      {
        name: 'card-declined',
        weight: 2,
        expect: 'declined',
        override: {
          paymentMethods: [
            'pm_card_chargeDeclined',
            'pm_card_chargeDeclinedInsufficientFunds',
            'pm_card_chargeDeclinedExpiredCard',
          ],
        },
      },
      {
        name: 'undeliverable',
        weight: 0.5,
        expect: 'declined',
        override: {
          addresses: [
            { line1: '13 Undeliverable Lane', city: 'Nowhere', postalCode: '10001', country: 'US' },
          ],
        },
      },
      { name: 'expired-coupon', weight: 0.5, expect: 'declined', override: { couponCode: 'EXPIRED2020' } },
    ],
    // 120 × sku-widget = $2,398.80: the fraud service's "high order value" review rule ($2,000).
    review: {
      name: 'review',
      weight: 1,
      expect: 'reviewed',
      override: { items: [{ sku: 'sku-widget', quantity: 120 }] },
    },
    reviewShare: 0.01,
    reviewer,
  },
  happy: {
    name: 'happy',
    catalog: { ...catalog, coupons: [''] },
    kinds: [{ ...ordinary, weight: 1 }],
    reviewShare: 0,
    reviewer,
  },
};

export const isMixName = (s: string): s is MixName => s === 'realistic' || s === 'happy';

/** The units of each SKU a run can take at most (mean 2 units of a SKU per line, 1.5 lines, 120 per review). */
export function stockNeeded(mix: Mix, orders: number): Record<string, number> {
  const perOrder = (1.5 * 3) / mix.catalog.skus.length; // up to 2 lines of up to 3 units: a generous bound
  const need: Record<string, number> = {};
  for (const sku of mix.catalog.skus) need[sku] = Math.ceil(orders * perOrder);
  if (mix.review) {
    for (const item of mix.review.override?.items ?? [])
      need[item.sku] = (need[item.sku] ?? 0) + Math.ceil(orders * mix.reviewShare * 2 * item.quantity);
  }
  return need;
}

/** How many orders a schedule sends: the integral of its rate (orders/h) over time. */
export function ordersOf(rate: number, seconds: number, stages?: readonly Stage[]): number {
  if (!stages) return Math.ceil((rate * seconds) / 3600);
  let total = 0;
  let from = stages[0]?.rate ?? 0;
  for (const s of stages) {
    total += (((from + s.rate) / 2) * s.seconds) / 3600;
    from = s.rate;
  }
  return Math.ceil(total);
}

/** The rate of the review scenario and of the rest, summing to `rate` (integers: k6 takes them per hour). */
export function splitRate(mix: Mix, rate: number): { orders: number; review: number } {
  const review = mix.review ? Math.round(rate * mix.reviewShare) : 0;
  return { orders: rate - review, review };
}
