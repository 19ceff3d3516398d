// The failure catalogue (contracts/failures.ts) names downstream error codes as strings, since contracts sit
// below the services; this keeps the two in step: every code the catalogue turns into a decline is one a
// service really answers with, so a renamed code cannot silently become a generic DownstreamRejected.
import { describe, expect, it } from 'vitest';
import { DECLINE_CODES } from '../../contracts/failures.ts';
import { CustomerErrors } from '../../services/customer-service/errors.ts';
import { InventoryErrors } from '../../services/inventory-service/errors.ts';
import { PricingErrors } from '../../services/pricing-service/errors.ts';
import { ShippingErrors } from '../../services/shipping-service/errors.ts';
import { TaxErrors } from '../../services/tax-service/errors.ts';

const answered = new Set<string>(
  [CustomerErrors, InventoryErrors, PricingErrors, ShippingErrors, TaxErrors].flatMap((e) =>
    Object.values(e),
  ),
);

describe('decline codes in the failure catalogue', () => {
  it('every decline code is a code some downstream service answers with', () => {
    const codes = Object.keys(DECLINE_CODES);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.filter((code) => !answered.has(code))).toEqual([]);
  });
});
