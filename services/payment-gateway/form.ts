// Stripe's form encoding: `metadata[order_id]=o1&expand[0]=latest_charge&expand[]=x`, every value a string.
// A small parser of our own rather than `qs`: the SDK only ever sends nested hashes and indexed arrays.
import { invalidRequest } from './errors.ts';

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type Params = Record<string, unknown>;

const MAX_DEPTH = 5;
const MAX_PAIRS = 1000;
// Keys that would reach Object.prototype through plain-object assignment.
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    throw invalidRequest('Invalid request: the request body or query string is not valid percent-encoding.');
  }
}

/** `a[b][]` → ['a', 'b', ''] */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  let pos = open;
  while (pos < key.length) {
    const close = key.indexOf(']', pos);
    const inner = close === -1 ? '' : key.slice(pos + 1, close);
    // Anything but a run of `[...]` groups (`a[b]c`, `a[b`) is taken as a plain key.
    if (key[pos] !== '[' || close === -1 || inner.includes('[')) return [key];
    segments.push(inner);
    pos = close + 1;
  }
  return segments;
}

type Node = Record<string, unknown>;

/** Parses a form-encoded string (a body or a query string) into nested objects and arrays. */
export function parseForm(input: string): Params {
  const root: Node = {};
  const pairs = input.split('&').filter((p) => p !== '');
  if (pairs.length > MAX_PAIRS)
    throw invalidRequest(`Too many parameters: at most ${MAX_PAIRS} are accepted.`);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    const path = splitKey(key);
    if (path.length > MAX_DEPTH + 1)
      throw invalidRequest(`Invalid parameter ${key}: nested too deeply.`, { param: key });
    let node = root;
    for (let i = 0; i < path.length; i++) {
      let seg = path[i]!;
      if (FORBIDDEN.has(seg)) throw invalidRequest(`Invalid parameter name: ${key}`, { param: key });
      // `[]` appends: give it the next free index so arrays come out in order.
      if (seg === '' && i > 0) seg = String(Object.keys(node).length);
      const last = i === path.length - 1;
      if (last) {
        if (typeof node[seg] === 'object')
          throw invalidRequest(
            `Invalid hash: ${path.slice(0, i + 1).join('.')} is both a value and a hash.`,
            { param: key },
          );
        node[seg] = value;
      } else {
        const next = node[seg];
        if (typeof next === 'string')
          throw invalidRequest(
            `Invalid hash: ${path.slice(0, i + 1).join('.')} is both a value and a hash.`,
            { param: key },
          );
        if (next === undefined) node[seg] = {};
        node = node[seg] as Node;
      }
    }
  }
  return arrayify(root) as Params;
}

/** Objects whose keys are exactly 0..n-1 become arrays (`expand[0]=a&expand[1]=b`). */
function arrayify(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Node;
  const keys = Object.keys(obj);
  for (const k of keys) obj[k] = arrayify(obj[k]);
  const isArray =
    keys.length > 0 &&
    keys.every((k) => /^\d+$/.test(k)) &&
    keys
      .map(Number)
      .sort((a, b) => a - b)
      .every((n, i) => n === i);
  return isArray
    ? keys
        .map(Number)
        .sort((a, b) => a - b)
        .map((n) => obj[String(n)])
    : obj;
}
