// Stripe-looking ids: a type prefix and 24 random base62 characters. Random rather than sequential so ids
// never collide across restarts or with a wiped database, and reveal nothing about volume.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomToken(length: number): string {
  // 62 does not divide 256: reject the top bytes so every character is equally likely.
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export type IdPrefix = 'pi' | 'ch' | 're' | 'pm' | 'req';

export const newId = (prefix: IdPrefix): string => `${prefix}_${randomToken(24)}`;
