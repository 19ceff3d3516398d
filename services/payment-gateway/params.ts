// Parameter readers with Stripe's validation messages and codes (parameter_missing, parameter_unknown,
// parameter_invalid_integer, parameter_invalid_empty). Form bodies carry every value as a string; JSON
// bodies may carry numbers and booleans: both are accepted.
import { invalidRequest } from './errors.ts';
import { type Params } from './form.ts';

export type { Params };

/** Stripe rejects unknown parameters instead of ignoring them, which catches typos in callers. */
export function rejectUnknown(params: Params, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      throw invalidRequest(
        `Received unknown parameter: ${key} (payment-gateway implements a subset of the Stripe API)`,
        { code: 'parameter_unknown', param: key },
      );
    }
  }
}

function emptyError(name: string) {
  return invalidRequest(
    `You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; however '${name}' cannot be unset. You should remove '${name}' from your request or supply a non-empty value.`,
    { code: 'parameter_invalid_empty', param: name },
  );
}

const missingError = (name: string) =>
  invalidRequest(`Missing required param: ${name}.`, { code: 'parameter_missing', param: name });

/** An integer; `''` counts as absent for optional parameters, as Stripe treats it as "unset". */
export function int(params: Params, name: string, required: true): number;
export function int(params: Params, name: string, required?: false): number | undefined;
export function int(params: Params, name: string, required = false): number | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') {
    if (required) throw raw === '' ? emptyError(name) : missingError(name);
    return undefined;
  }
  const text = typeof raw === 'number' || typeof raw === 'string' ? String(raw) : '';
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw invalidRequest(`Invalid integer: ${typeof raw === 'string' ? raw : JSON.stringify(raw)}`, {
      code: 'parameter_invalid_integer',
      param: name,
    });
  }
  return Number(text);
}

export function str(params: Params, name: string, required: true, max?: number): string;
export function str(params: Params, name: string, required?: false, max?: number): string | undefined;
export function str(params: Params, name: string, required = false, max = 5000): string | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') {
    if (required) throw raw === '' ? emptyError(name) : missingError(name);
    return undefined;
  }
  if (typeof raw !== 'string')
    throw invalidRequest(`Invalid string: ${JSON.stringify(raw)}`, { param: name });
  if (raw.length > max)
    throw invalidRequest(`Invalid string: ${name} must be at most ${max} characters`, {
      code: 'parameter_invalid_string_length',
      param: name,
    });
  return raw;
}

export function bool(params: Params, name: string): boolean | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${typeof raw === 'string' ? raw : JSON.stringify(raw)}`, {
    param: name,
  });
}

export function oneOf<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const raw = str(params, name);
  if (raw === undefined) return undefined;
  if (!(values as readonly string[]).includes(raw)) {
    const list =
      values.length > 1 ? `${values.slice(0, -1).join(', ')}, or ${values.at(-1)}` : values.join('');
    throw invalidRequest(`Invalid ${name}: must be one of ${list}`, { param: name });
  }
  return raw as T;
}

export function hash(params: Params, name: string): Params | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalidRequest(`Invalid object`, { param: name });
  return raw as Params;
}

/** `expand[]`: which id fields to replace by their objects. */
export function expand(params: Params, allowed: readonly string[]): string[] {
  const raw = params.expand;
  if (raw === undefined || raw === '') return [];
  const list = Array.isArray(raw)
    ? raw
    : typeof raw === 'object' && raw !== null
      ? Object.values(raw)
      : [raw];
  return list.map((v) => {
    if (typeof v !== 'string' || !allowed.includes(v))
      throw invalidRequest(`This property cannot be expanded (${String(v)}).`, { param: 'expand' });
    return v;
  });
}

export type Metadata = Record<string, string>;

/**
 * Stripe's metadata rules: up to 50 keys, keys up to 40 characters, values up to 500. An empty value unsets
 * its key, and `metadata=''` unsets them all; returns the merged result.
 */
export function metadata(params: Params, current: Metadata = {}): Metadata {
  const raw = params.metadata;
  if (raw === undefined) return current;
  if (raw === '') return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalidRequest('Invalid metadata: metadata must be a hash of string keys and values', {
      param: 'metadata',
    });
  const merged: Metadata = { ...current };
  for (const [key, value] of Object.entries(raw as Params)) {
    if (key.length > 40)
      throw invalidRequest(
        `Invalid metadata: metadata keys must be at most 40 characters long (${key.slice(0, 40)}...)`,
        { param: `metadata[${key}]` },
      );
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw invalidRequest(`Invalid metadata: the value of ${key} must be a string`, {
        param: `metadata[${key}]`,
      });
    }
    const text = String(value);
    if (text.length > 500)
      throw invalidRequest(`Invalid metadata: metadata values must be at most 500 characters long (${key})`, {
        param: `metadata[${key}]`,
      });
    if (text === '') delete merged[key];
    else merged[key] = text;
  }
  if (Object.keys(merged).length > 50)
    throw invalidRequest('Invalid metadata: metadata can have up to 50 keys', { param: 'metadata' });
  return merged;
}

export interface ListParams {
  readonly limit: number;
  readonly startingAfter: string | undefined;
  readonly endingBefore: string | undefined;
}

export function listParams(params: Params): ListParams {
  const limit = int(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100)
    throw invalidRequest('Invalid limit: must be between 1 and 100', { param: 'limit' });
  const startingAfter = str(params, 'starting_after');
  const endingBefore = str(params, 'ending_before');
  if (startingAfter && endingBefore)
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', {
      param: 'ending_before',
    });
  return { limit, startingAfter, endingBefore };
}
