// Carriers: which one serves a country, what its tracking numbers look like (with their real check-digit
// schemes, so numbers pass the carriers' own validation), and the carrier API call with its failure mode.
import { randomInt } from 'node:crypto';
import { AppError } from '../../platform/errors.ts';
import { ShippingErrors } from './errors.ts';

export type CarrierCode =
  'orderflow-express' | 'ups' | 'royal-mail' | 'deutsche-post' | 'la-poste' | 'postnl';

const digits = (n: number): string => Array.from({ length: n }, () => randomInt(10)).join('');
const letters = (n: number): string =>
  Array.from({ length: n }, () => String.fromCharCode(65 + randomInt(26))).join('');

/** UPU S10 (postal operators): 2 letters, 8 digits, a mod-11 check digit, the operator's country. */
export function s10(service: string, serial: string, country: string): string {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  const sum = [...serial].reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  const check = 11 - (sum % 11);
  return `${service}${serial}${check === 10 ? 0 : check === 11 ? 5 : check}${country}`;
}

/** UPS 1Z: shipper account, service code, package number, then a mod-10 check over all 15 characters. */
export function ups1z(shipper: string, service: string, pkg: string): string {
  const body = `${shipper}${service}${pkg}`;
  let sum = 0;
  [...body].forEach((ch, i) => {
    const value = /\d/.test(ch) ? Number(ch) : (ch.charCodeAt(0) - 63) % 10;
    sum += i % 2 === 1 ? value * 2 : value;
  });
  return `1Z${body}${(10 - (sum % 10)) % 10}`;
}

interface Carrier {
  readonly code: CarrierCode;
  readonly trackingNumber: () => string;
}

// One fulfilment centre per market; each hands parcels to the carrier it has a contract with there.
const carriersByCountry: Readonly<Record<string, Carrier>> = {
  US: { code: 'orderflow-express', trackingNumber: () => `OFX${digits(12)}` },
  CA: { code: 'ups', trackingNumber: () => ups1z('OF7X29', '11', digits(7)) },
  GB: { code: 'royal-mail', trackingNumber: () => s10('TT', digits(8), 'GB') },
  DE: { code: 'deutsche-post', trackingNumber: () => s10('RR', digits(8), 'DE') },
  FR: { code: 'la-poste', trackingNumber: () => s10('LA', digits(8), 'FR') },
  // PostNL's domestic "3S" barcode: 3S, a 4-letter customer code, 9 digits.
  NL: { code: 'postnl', trackingNumber: () => `3S${letters(4)}${digits(9)}` },
};

export const SUPPORTED_COUNTRIES: readonly string[] = Object.keys(carriersByCountry);

export const carrierFor = (country: string): Carrier | undefined => carriersByCountry[country];

export interface CarrierApiOptions {
  /** Share of label requests the carrier never answers in time, 0..1. */
  readonly timeoutRate: number;
  /** How long such a request hangs before the carrier gateway gives up. */
  readonly timeoutMs: number;
  readonly random?: () => number;
}

export interface Label {
  readonly carrier: CarrierCode;
  readonly trackingNumber: string;
}

/**
 * The carrier's label API. Some requests hang and end in 504 CARRIER_TIMEOUT, like a slow carrier behind a
 * gateway; no label exists afterwards, so a retry with the same shipmentId is safe and may well succeed.
 */
export function createCarrierApi({ timeoutRate, timeoutMs, random = Math.random }: CarrierApiOptions) {
  return {
    async createLabel(country: string): Promise<Label> {
      const carrier = carrierFor(country);
      if (!carrier) throw new Error(`no carrier for ${country}: check deliverability first`);
      if (timeoutRate > 0 && random() < timeoutRate) {
        await new Promise((resolve) => setTimeout(resolve, timeoutMs));
        throw new AppError(
          ShippingErrors.carrierTimeout,
          504,
          `carrier ${carrier.code} did not answer within ${timeoutMs} ms`,
          {
            carrier: carrier.code,
          },
        );
      }
      return { carrier: carrier.code, trackingNumber: carrier.trackingNumber() };
    },
  };
}

export type CarrierApi = ReturnType<typeof createCarrierApi>;
