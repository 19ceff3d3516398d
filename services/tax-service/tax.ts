// Sales tax / VAT on an amount: the address's jurisdiction, its current rate, and the tax rounded half up
// to the cent. Rates are read on every request, so a change through PUT /rates applies at once.
import { type Database, transaction } from '../../platform/sqlite.ts';
import { AppError } from '../../platform/errors.ts';
import { TaxErrors } from './errors.ts';
import { jurisdictionOf } from './jurisdictions.ts';
import { type RateRecord, type RateStore } from './store.ts';

export interface TaxRequest {
  readonly country: string;
  readonly postalCode: string;
  readonly amountCents: number;
}

export interface TaxResult {
  readonly jurisdiction: string;
  readonly ratePercent: number;
  readonly taxCents: number;
}

export interface RateView {
  readonly jurisdiction: string;
  readonly name: string;
  readonly ratePercent: number;
  readonly updatedAt: string;
}

/** `amountCents × bps / 10000`, rounded half up; BigInt keeps the product exact. */
export const taxOf = (amountCents: number, bps: number): number =>
  Number((BigInt(amountCents) * BigInt(bps) + 5_000n) / 10_000n);

const toView = (r: RateRecord): RateView => ({
  jurisdiction: r.jurisdiction,
  name: r.name,
  ratePercent: r.rateBps / 100,
  updatedAt: r.updatedAt,
});

export function taxService(db: Database, store: RateStore, now: () => Date) {
  const rateOf = (jurisdiction: string): RateRecord => {
    const found = store.rate(jurisdiction);
    if (!found)
      throw new AppError(TaxErrors.jurisdictionNotFound, 404, `no rate for jurisdiction ${jurisdiction}`, {
        jurisdiction,
      });
    return found;
  };

  return {
    calculate({ country, postalCode, amountCents }: TaxRequest): TaxResult {
      const jurisdiction = jurisdictionOf(country, postalCode);
      const rate = store.rate(jurisdiction);
      // A supported country whose rate row was never loaded is not one we can tax.
      if (!rate)
        throw new AppError(
          TaxErrors.unsupportedJurisdiction,
          422,
          `no tax rate is configured for ${jurisdiction}`,
          { jurisdiction },
        );
      return { jurisdiction, ratePercent: rate.rateBps / 100, taxCents: taxOf(amountCents, rate.rateBps) };
    },

    rates: (): RateView[] => store.all().map(toView),

    rate: (jurisdiction: string): RateView => toView(rateOf(jurisdiction)),

    /** Admin: a new rate for a known jurisdiction, effective from the next request. */
    setRate(jurisdiction: string, ratePercent: number): RateView {
      return transaction(db, () => {
        rateOf(jurisdiction);
        store.setRate(jurisdiction, Math.round(ratePercent * 100), now().toISOString());
        return toView(rateOf(jurisdiction));
      });
    },
  };
}
