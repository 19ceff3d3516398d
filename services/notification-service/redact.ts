// What a notification record may keep. The service sees order data it does not need to remember: postal
// addresses and card data are dropped before anything is rendered or stored, both by key name (anywhere
// in the tree) and by value (any Luhn-valid card number inside a string, whatever its key).

export const REDACTED = '[redacted]';
const MAX_DEPTH = 8;

// Compared after lower-casing and removing everything but letters and digits: shipping_address, line-1, ...
// prettier-ignore
const sensitiveKeys = new Set([
  'card', 'cardnumber', 'pan', 'cvc', 'cvc2', 'cvv', 'cvv2', 'securitycode',
  'exp', 'expmonth', 'expyear', 'expiry', 'expirydate', 'expiration', 'expirationdate',
  'iban', 'accountnumber', 'routingnumber',
  'line1', 'line2', 'street', 'streetaddress', 'postalcode', 'postcode', 'zip', 'zipcode',
]);

const normalize = (key: string): string => key.toLowerCase().replaceAll(/[^a-z0-9]/g, '');

function isSensitiveKey(key: string): boolean {
  const k = normalize(key);
  // Any kind of postal address (shippingAddress, billing_address, address2), but not an email address.
  return sensitiveKeys.has(k) || (k.includes('address') && !k.includes('email'));
}

const luhn = (digits: string): boolean => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
};

// 13-19 digits, optionally grouped by single spaces or dashes, not part of a longer run of digits.
const cardLike = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;

/** True when the whole value is a Luhn-valid card number. */
export function looksLikeCardNumber(value: string): boolean {
  const match = value.match(cardLike);
  return match?.length === 1 && match[0] === value && luhn(value.replaceAll(/[ -]/g, ''));
}

/** The text with every Luhn-valid card number in it replaced. */
export function maskCardNumbers(text: string): string {
  return text.replaceAll(cardLike, (m) => (luhn(m.replaceAll(/[ -]/g, '')) ? REDACTED : m));
}

export interface Redacted {
  readonly data: Record<string, unknown>;
  /** Paths of what was removed (names only, never values), for the audit trail. */
  readonly removed: string[];
}

export function redact(data: Record<string, unknown>): Redacted {
  const removed: string[] = [];

  const walk = (value: unknown, path: string, depth: number): unknown => {
    if (typeof value === 'string') {
      const masked = maskCardNumbers(value);
      if (masked !== value) removed.push(path);
      return masked;
    }
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) {
      // Nothing legitimate nests this deep; dropping it is cheaper than proving it harmless.
      removed.push(path);
      return REDACTED;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const child = path ? `${path}.${key}` : key;
      if (isSensitiveKey(key)) removed.push(child);
      else out[key] = walk(v, child, depth + 1);
    }
    return out;
  };

  return { data: walk(data, '', 0) as Record<string, unknown>, removed };
}
