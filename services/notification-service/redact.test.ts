import { describe, expect, it } from 'vitest';
import { looksLikeCardNumber, REDACTED, redact } from './redact.ts';

describe('looksLikeCardNumber', () => {
  it.each(['4242424242424242', '4242 4242 4242 4242', '5555-5555-5555-4444', '378282246310005'])(
    'when given the test card %s, then it is recognised',
    (value) => expect(looksLikeCardNumber(value)).toBe(true),
  );

  it.each(['4242424242424241', '12345', 'OFX123456789012', '2024-11-15', 'order 4242424242424242'])(
    'when given %s, then it is not taken for a card number',
    (value) => expect(looksLikeCardNumber(value)).toBe(false),
  );
});

describe('redact', () => {
  it('when data has nothing sensitive, then it is returned unchanged with nothing removed', () => {
    const data = { totalCents: 100, items: [{ sku: 'A', quantity: 1 }], city: 'Paris' };
    expect(redact(data)).toEqual({ data, removed: [] });
  });

  it('when a card number hides under an innocent key, then the value is replaced', () => {
    expect(redact({ memo: '4242424242424242' })).toEqual({ data: { memo: REDACTED }, removed: ['memo'] });
  });

  it('when a card number sits inside free text, then only the number is masked', () => {
    expect(redact({ note: 'paid with 4000 0566 5566 5556, thanks' })).toEqual({
      data: { note: `paid with ${REDACTED}, thanks` },
      removed: ['note'],
    });
  });

  it('when free text holds long digit runs that fail the Luhn check, then they are kept', () => {
    const data = { note: 'ticket 4242424242424241 and phone +1 415 555 0100' };
    expect(redact(data)).toEqual({ data, removed: [] });
  });

  it('when data nests deeper than any real payload, then the deep part is dropped', () => {
    let deep: Record<string, unknown> = { leaf: 'x' };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    const { removed } = redact(deep);
    expect(removed).toHaveLength(1);
  });
});
