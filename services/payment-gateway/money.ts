// Currencies and amounts as Stripe checks them: integer minor units, a per-currency minimum charge
// (docs.stripe.com/currencies#minimum-and-maximum-charge-amounts) and an eight-digit maximum.
import { invalidRequest } from './errors.ts';

/** Minimum charge in minor units for the currencies this gateway accepts. */
const MINIMUM: Readonly<Record<string, number>> = {
  usd: 50,
  eur: 50,
  gbp: 30,
  cad: 50,
  aud: 50,
  nzd: 50,
  chf: 50,
  sgd: 50,
  hkd: 400,
  jpy: 50,
  sek: 300,
  nok: 300,
  dkk: 250,
  pln: 200,
  czk: 1500,
  mxn: 1000,
  brl: 50,
  inr: 50,
};

export const MAX_AMOUNT = 99_999_999;

export function currency(raw: string): string {
  const code = raw.toLowerCase();
  if (!Object.hasOwn(MINIMUM, code)) {
    throw invalidRequest(
      `Invalid currency: ${raw}. payment-gateway supports these currencies: ${Object.keys(MINIMUM).join(', ')}`,
      {
        param: 'currency',
      },
    );
  }
  return code;
}

/** `$20.00`, `¥500`: how Stripe's messages show amounts. */
export function formatAmount(amount: number, code: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

export function checkChargeAmount(amount: number, code: string, param = 'amount'): void {
  const minimum = MINIMUM[code] ?? 1;
  if (amount < minimum) {
    throw invalidRequest(`Amount must be at least ${formatAmount(minimum, code)} ${code}`, {
      code: 'amount_too_small',
      param,
    });
  }
  if (amount > MAX_AMOUNT) {
    throw invalidRequest(`Amount must be no more than ${formatAmount(MAX_AMOUNT, code)}`, {
      code: 'amount_too_large',
      param,
    });
  }
}
