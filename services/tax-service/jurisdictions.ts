// Where an address is taxed: the country, and in the US the state, found from the ZIP code's first three
// digits. Geography, not policy, so it lives in code; the rates (policy) live in the database.
import { AppError } from '../../platform/errors.ts';
import { TaxErrors } from './errors.ts';

/** Postal code formats of the countries we collect tax in. */
const postalFormats: Readonly<Record<string, RegExp>> = {
  US: /^\d{5}(-\d{4})?$/,
  DE: /^\d{5}$/,
  FR: /^\d{5}$/,
  NL: /^[1-9]\d{3} ?[A-Z]{2}$/,
  GB: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/,
  // Canada: letter-digit-letter digit-letter-digit; D, F, I, O, Q and U are never used.
  CA: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$/,
};

/** ZIP prefix ranges (first three digits, inclusive) of the states with their own rate. */
const usStates: readonly { readonly from: number; readonly to: number; readonly jurisdiction: string }[] = [
  { from: 100, to: 149, jurisdiction: 'US-NY' },
  { from: 600, to: 629, jurisdiction: 'US-IL' },
  { from: 750, to: 799, jurisdiction: 'US-TX' },
  { from: 900, to: 961, jurisdiction: 'US-CA' },
  { from: 970, to: 979, jurisdiction: 'US-OR' },
  { from: 980, to: 994, jurisdiction: 'US-WA' },
];

/** Every other US address is taxed at this jurisdiction's rate. */
export const usDefault = 'US';

export const supportedCountries = Object.keys(postalFormats);

/** The jurisdiction code (a key of the rates table) for an address, or the business reason there is none. */
export function jurisdictionOf(country: string, postalCode: string): string {
  const format = postalFormats[country];
  if (!format) {
    throw new AppError(TaxErrors.unsupportedJurisdiction, 422, `no tax is collected for country ${country}`, {
      country,
      supported: supportedCountries,
    });
  }
  if (!format.test(postalCode)) {
    throw new AppError(
      TaxErrors.invalidPostalCode,
      422,
      `${postalCode} is not a valid postal code in ${country}`,
      { country, postalCode },
    );
  }
  if (country !== 'US') return country;
  const prefix = Number(postalCode.slice(0, 3));
  return usStates.find((s) => prefix >= s.from && prefix <= s.to)?.jurisdiction ?? usDefault;
}
