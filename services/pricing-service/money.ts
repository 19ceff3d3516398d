// Integer-cent arithmetic. Percentages are basis points (1% = 100), and a share of an amount is rounded
// half up to the cent (so 5% of 1999 × 10 = 999.5 → 1000). BigInt keeps the product exact however large.
export const percentOf = (amountCents: number, bps: number): number =>
  Number((BigInt(amountCents) * BigInt(bps) + 5_000n) / 10_000n);

/** 500 → "5%", 725 → "7.25%". */
export const formatPercent = (bps: number): string => `${bps / 100}%`;

/** 1999 → "$19.99". */
export const formatUsd = (cents: number): string =>
  `$${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
