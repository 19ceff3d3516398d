// The bracket-notation form parser, on what the stripe SDK sends and on input it must refuse.
import { describe, expect, it } from 'vitest';
import { StripeError } from './errors.ts';
import { parseForm } from './form.ts';

describe('parseForm', () => {
  it('when keys use brackets, then hashes and indexed or appended arrays are built', () => {
    expect(
      parseForm(
        'amount=2000&metadata[order_id]=o-1&metadata[x]=&expand[0]=a&expand[1]=b&types[]=card&types[]=link',
      ),
    ).toEqual({
      amount: '2000',
      metadata: { order_id: 'o-1', x: '' },
      expand: ['a', 'b'],
      types: ['card', 'link'],
    });
  });

  it('when values are percent- or plus-encoded, then they are decoded, brackets included', () => {
    expect(parseForm('description=a+b%2Bc&metadata%5Bk%5D=%E2%82%AC')).toEqual({
      description: 'a b+c',
      metadata: { k: '€' },
    });
  });

  it('when hashes nest, then they nest', () => {
    expect(
      parseForm('automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never'),
    ).toEqual({
      automatic_payment_methods: { enabled: 'true', allow_redirects: 'never' },
    });
  });

  it('when the body is empty, then there are no parameters', () => {
    expect(parseForm('')).toEqual({});
  });

  it('when a key would reach the prototype, then it is refused', () => {
    expect(() => parseForm('__proto__[polluted]=1')).toThrow(StripeError);
    expect(() => parseForm('metadata[constructor]=1')).toThrow(StripeError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('when a name is both a value and a hash, or the encoding is broken, then it is a 400', () => {
    expect(() => parseForm('metadata=1&metadata[a]=2')).toThrow(StripeError);
    expect(() => parseForm('metadata[a]=2&metadata=1')).toThrow(StripeError);
    expect(() => parseForm('amount=%E0%A4%A')).toThrow(StripeError);
  });

  it('when indexes have gaps, then the result stays a hash rather than inventing array slots', () => {
    expect(parseForm('a[0]=x&a[2]=y')).toEqual({ a: { 0: 'x', 2: 'y' } });
  });
});
