import { describe, expect, it } from 'vitest';
import { undeliverableReason } from './addresses.ts';
import { s10, ups1z } from './carriers.ts';

describe('tracking number check digits', () => {
  it("when UPS's published sample is rebuilt, then the check digit matches (1Z999AA10123456784)", () => {
    expect(ups1z('999AA1', '01', '2345678')).toBe('1Z999AA10123456784');
  });

  it("when the UPU S10 standard's sample is rebuilt, then the check digit matches (47312482 -> 9)", () => {
    expect(s10('RR', '47312482', 'GB')).toBe('RR473124829GB');
  });

  it('when the S10 weighted sum leaves remainder 1 or 0, then the check digit is 0 or 5', () => {
    // 00004000: 4 x weight 3 = 12, 12 mod 11 = 1, 11 - 1 = 10 -> 0.  00000000: 11 - 0 = 11 -> 5.
    expect(s10('RR', '00004000', 'GB')).toBe('RR000040000GB');
    expect(s10('RR', '00000000', 'GB')).toBe('RR000000005GB');
  });
});

describe('undeliverableReason', () => {
  const address = { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

  it('when the address is ordinary and served, then there is no reason', () => {
    expect(undeliverableReason(address)).toBeUndefined();
  });

  it('when line1 contains "undeliverable" in any case, then there is a reason', () => {
    expect(undeliverableReason({ ...address, line1: 'Undeliverable Lane 5' })).toMatch(/line1/);
  });
});
