// Address deliverability, as the carriers' address validation would answer it. The demo rules are fixed
// so a test or a demo can pick an address that fails (README.md lists them).
import { AppError } from '../../platform/errors.ts';
import { SUPPORTED_COUNTRIES } from './carriers.ts';
import { ShippingErrors } from './errors.ts';

export interface Address {
  readonly line1: string;
  readonly line2?: string | undefined;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
}

/** Why the address cannot be delivered to, or undefined when it can. */
export function undeliverableReason(address: Address): string | undefined {
  if (!SUPPORTED_COUNTRIES.includes(address.country)) {
    return `country ${address.country} is not served (served: ${SUPPORTED_COUNTRIES.join(', ')})`;
  }
  if (/undeliverable/i.test(address.line1)) return 'carrier address validation failed for line1';
  if (address.postalCode.trim() === '00000') return `postal code ${address.postalCode} does not exist`;
  return undefined;
}

export function assertDeliverable(address: Address): void {
  const reason = undeliverableReason(address);
  if (reason)
    throw new AppError(ShippingErrors.undeliverableAddress, 422, `address is undeliverable: ${reason}`, {
      reason,
    });
}
