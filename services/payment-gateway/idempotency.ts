// Idempotency-Key as Stripe documents it (docs.stripe.com/api/idempotent_requests):
// - the first POST with a key stores its status and body once the endpoint starts executing, errors
//   included (card declines, 404s, even 500s); a retry with the same key and parameters gets that stored
//   response back, marked `Idempotent-Replayed: true`;
// - nothing is stored when the parameters fail validation or another request holds the key, so those are
//   safe to retry: the key is released;
// - the same key with other parameters, or on another endpoint, is an idempotency_error (400);
// - a retry while the first is still running gets 409 idempotency_key_in_use (the SDK retries 409s);
// - keys are scoped per API key and kept 24 hours.
// Rows live in SQLite, written in the same transaction as the state change they describe, so a restart
// neither loses a key nor leaves a key pointing at a change that did not happen. A row still in flight
// when its process died is taken over: its transaction never committed, so re-executing is safe.
import { createHash } from 'node:crypto';
import { type Database, transaction } from '../../platform/sqlite.ts';
import { invalidRequest, StripeError } from './errors.ts';
import { type Params } from './form.ts';

export const KEY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;
const PRUNE_EVERY_MS = 60_000;

export interface StoredResponse {
  readonly status: number;
  readonly body: string;
  /** Request-Id of the request that produced the response (sent back as `Original-Request`). */
  readonly requestId: string;
}

export interface Lock {
  /** Stores the response; call inside the transaction that makes the request's changes. */
  readonly complete: (status: number, body: string) => void;
  /** Forgets the key: validation failed, nothing was executed. */
  readonly release: () => void;
}

export type Begin =
  { readonly kind: 'replay'; readonly response: StoredResponse } | ({ readonly kind: 'execute' } & Lock);

export interface BeginRequest {
  /** Who the key belongs to: a hash of the API key. */
  readonly scope: string;
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly params: Params;
  readonly requestId: string;
}

interface Row {
  method: string;
  path: string;
  fingerprint: string;
  owner: string;
  request_id: string;
  status: number | null;
  body: string | null;
  created_ms: number;
}

/** Key order does not matter to Stripe's comparison of parameters; values do. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export const fingerprint = (params: Params): string =>
  createHash('sha256')
    .update(JSON.stringify(canonical(params)))
    .digest('hex');

export function validateKey(key: string): void {
  if (key.length > MAX_KEY_LENGTH) {
    throw invalidRequest(`Invalid Idempotency-Key: keys can be at most ${MAX_KEY_LENGTH} characters long.`, {
      param: 'Idempotency-Key',
    });
  }
}

export type Idempotency = ReturnType<typeof createIdempotency>;

/** `owner` identifies this process: rows in flight under another owner are left over from a crash. */
export function createIdempotency(db: Database, clock: () => number, owner: string) {
  const get = db.prepare(
    'SELECT method, path, fingerprint, owner, request_id, status, body, created_ms FROM idempotency_keys WHERE scope = ? AND key = ?',
  );
  const remove = db.prepare('DELETE FROM idempotency_keys WHERE scope = ? AND key = ?');
  const insert = db.prepare(
    'INSERT INTO idempotency_keys (scope, key, method, path, fingerprint, owner, request_id, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const complete = db.prepare(
    'UPDATE idempotency_keys SET status = ?, body = ? WHERE scope = ? AND key = ? AND owner = ? AND status IS NULL',
  );
  const release = db.prepare(
    'DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND owner = ? AND status IS NULL',
  );
  const prune = db.prepare('DELETE FROM idempotency_keys WHERE created_ms < ?');
  let lastPrune = 0;

  function begin(req: BeginRequest): Begin {
    validateKey(req.key);
    const now = clock();
    const print = fingerprint(req.params);
    return transaction(db, (): Begin => {
      if (now - lastPrune > PRUNE_EVERY_MS) {
        prune.run(now - KEY_TTL_MS);
        lastPrune = now;
      }
      let row = get.get(req.scope, req.key) as Row | undefined;
      const expired = row !== undefined && row.created_ms <= now - KEY_TTL_MS;
      const abandoned = row !== undefined && row.status === null && row.owner !== owner;
      if (row && (expired || abandoned)) {
        remove.run(req.scope, req.key);
        row = undefined;
      }
      if (row) {
        if (row.method !== req.method || row.path !== req.path) {
          throw new StripeError(400, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${row.method} ${row.path}' vs '${req.method} ${req.path}'). Try using a key other than '${req.key}' if you meant to execute a different request.`,
          });
        }
        if (row.fingerprint !== print) {
          throw new StripeError(400, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${req.key}' if you meant to execute a different request.`,
          });
        }
        if (row.status === null || row.body === null) {
          throw new StripeError(409, {
            type: 'invalid_request_error',
            code: 'idempotency_key_in_use',
            message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${req.key}. Please try again later.`,
          });
        }
        return {
          kind: 'replay',
          response: { status: row.status, body: row.body, requestId: row.request_id },
        };
      }
      insert.run(req.scope, req.key, req.method, req.path, print, owner, req.requestId, now);
      return {
        kind: 'execute',
        complete: (status, body) => void complete.run(status, body, req.scope, req.key, owner),
        release: () => void release.run(req.scope, req.key, owner),
      };
    });
  }

  return { begin };
}
