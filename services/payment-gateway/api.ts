// The /v1 scope: everything that makes it look like api.stripe.com to the stripe SDK. Bearer (or Basic)
// sk_test_ keys, form-encoded bodies, Request-Id and Stripe-Version headers, Stripe's error shape, and POSTs
// run through the idempotency layer. Its own error and not-found handlers apply to /v1 only; the kit's
// /healthz, /readyz and /admin/faults keep theirs.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type Database, transaction } from '../../platform/sqlite.ts';
import { AppError } from '../../platform/errors.ts';
import { authenticationError, invalidRequest, StripeError } from './errors.ts';
import { type Params, parseForm } from './form.ts';
import { type Idempotency, type Lock } from './idempotency.ts';
import { newId } from './ids.ts';
import { type Store } from './store.ts';

/** The version the stripe SDK v23 pins; answered when a request names none. */
export const DEFAULT_API_VERSION = '2026-10-28.endive';

export interface Outcome {
  readonly status: number;
  readonly body: unknown;
}

export interface RouteInput {
  readonly params: Params;
  readonly path: Readonly<Record<string, string>>;
}

/** Runs in one SQLite transaction with the idempotency record; `now` is Unix seconds. */
export type Execute = (now: number) => Outcome;
/** Validates the request and returns its execution. Throwing here stores nothing under the key. */
export type PostHandler = (input: RouteInput) => Execute;
export type GetHandler = (input: RouteInput & { readonly now: number }) => unknown;

export interface Api {
  readonly store: Store;
  readonly get: (path: string, handler: GetHandler) => void;
  readonly post: (path: string, handler: PostHandler) => void;
}

export interface ApiOptions {
  readonly db: Database;
  readonly store: Store;
  readonly idempotency: Idempotency;
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
  /** Added to every POST after validation: stands in for the card network, and makes in-flight windows real. */
  readonly processingDelayMs: number;
  readonly routes: readonly ((api: Api) => void)[];
}

interface RequestState {
  readonly requestId: string;
  /** Idempotency keys belong to the API key: a hash of it, never the key itself. */
  readonly scope: string;
}

const states = new WeakMap<FastifyRequest, RequestState>();

const NO_KEY =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

const mask = (key: string): string =>
  key.length <= 12
    ? '*'.repeat(key.length)
    : `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`;

/** `Bearer sk_test_...`, or Basic with the key as user name (`curl -u sk_test_...:`), as Stripe accepts. */
function apiKey(header: string | undefined): string {
  if (!header) throw authenticationError(NO_KEY);
  const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
  let key = '';
  if (scheme.toLowerCase() === 'bearer') key = value;
  else if (scheme.toLowerCase() === 'basic')
    key = Buffer.from(value, 'base64').toString('utf8').split(':')[0] ?? '';
  if (key === '') throw authenticationError(NO_KEY);
  if (!/^sk_test_[A-Za-z0-9_]+$/.test(key)) {
    throw authenticationError(
      `Invalid API Key provided: ${mask(key)}. payment-gateway is a test-mode stand-in and accepts secret test keys (sk_test_...) only.`,
    );
  }
  return key;
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function bodyParams(req: FastifyRequest): Params {
  const body: unknown = req.body;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw invalidRequest('Invalid request body: expected form-encoded parameters or a JSON object.');
  return body as Params;
}

function queryParams(req: FastifyRequest): Params {
  const q = req.url.indexOf('?');
  return q === -1 ? {} : parseForm(req.url.slice(q + 1));
}

const urlPath = (req: FastifyRequest): string => req.url.split('?')[0] ?? req.url;

/** Maps anything thrown in the /v1 scope to Stripe's shape, keeping the status. */
function toOutcome(err: unknown, req: FastifyRequest): Outcome {
  if (err instanceof StripeError) return { status: err.status, body: err.body() };
  if (err instanceof AppError) {
    // The kit's fault injection (/admin/faults) and anything else kit-shaped.
    const type = err.status >= 500 ? 'api_error' : 'invalid_request_error';
    return {
      status: err.status,
      body: { error: { type, code: err.code.toLowerCase(), message: err.message } },
    };
  }
  const e = err as { statusCode?: number; message?: string };
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // Fastify's own client errors: malformed JSON, unsupported content type, body too large.
    return {
      status: e.statusCode,
      body: { error: { type: 'invalid_request_error', message: e.message ?? 'Invalid request' } },
    };
  }
  req.log.error({ err }, 'unhandled error');
  return {
    status: 500,
    body: {
      error: { type: 'api_error', message: 'An unknown error occurred while processing the request.' },
    },
  };
}

function send(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.status(status).type('application/json; charset=utf-8').send(text);
}

export function registerApi(app: FastifyInstance, options: ApiOptions): void {
  const { db, store, idempotency, clock, processingDelayMs } = options;
  const seconds = (): number => Math.floor(clock() / 1000);

  /** Executes and stores the outcome under the key (if any) in one transaction; errors are outcomes too. */
  function run(
    execute: Execute,
    lock: Lock | undefined,
    req: FastifyRequest,
  ): { status: number; text: string } {
    try {
      return transaction(db, () => {
        const outcome = execute(seconds());
        const text = JSON.stringify(outcome.body);
        lock?.complete(outcome.status, text);
        return { status: outcome.status, text };
      });
    } catch (err) {
      const outcome = toOutcome(err, req);
      const text = JSON.stringify(outcome.body);
      try {
        lock?.complete(outcome.status, text);
      } catch (storeErr) {
        // Could not even record the failure: free the key so a retry is not stuck behind a 409.
        req.log.error({ err: storeErr }, 'could not store idempotent response');
        lock?.release();
      }
      return { status: outcome.status, text };
    }
  }

  void app.register(
    (scope, _opts, done) => {
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_req, body, parsed) => {
          try {
            parsed(null, parseForm(typeof body === 'string' ? body : body.toString('utf8')));
          } catch (err) {
            parsed(err as Error, undefined);
          }
        },
      );

      scope.addHook('onRequest', (req, reply, done) => {
        const requestId = newId('req');
        reply.header('Request-Id', requestId);
        reply.header('Stripe-Version', header(req, 'stripe-version') ?? DEFAULT_API_VERSION);
        reply.header('Cache-Control', 'no-cache, no-store');
        const idemKey = header(req, 'idempotency-key');
        if (req.method === 'POST' && idemKey) reply.header('Idempotency-Key', idemKey);
        try {
          const key = apiKey(header(req, 'authorization'));
          states.set(req, { requestId, scope: createHash('sha256').update(key).digest('hex').slice(0, 32) });
          done();
        } catch (err) {
          reply.header('WWW-Authenticate', 'Basic realm="Stripe"');
          done(err as Error);
        }
      });

      scope.setErrorHandler((err, req, reply) => {
        const outcome = toOutcome(err, req);
        return send(reply, outcome.status, JSON.stringify(outcome.body));
      });
      scope.setNotFoundHandler((req, reply) =>
        send(
          reply,
          404,
          JSON.stringify({
            error: {
              type: 'invalid_request_error',
              message: `Unrecognized request URL (${req.method}: ${urlPath(req)}). payment-gateway implements payment_intents, refunds, charges (retrieve) and payment_methods (retrieve).`,
            },
          }),
        ),
      );

      const api: Api = {
        store,
        get: (path, handler) => {
          scope.get(path, (req, reply) => {
            const result = handler({
              params: queryParams(req),
              path: req.params as Record<string, string>,
              now: seconds(),
            });
            return send(reply, 200, JSON.stringify(result));
          });
        },
        post: (path, handler) => {
          scope.post(path, async (req, reply) => {
            const state = states.get(req)!;
            const params = bodyParams(req);
            const key = header(req, 'idempotency-key');
            let lock: Lock | undefined;
            if (key) {
              const begun = idempotency.begin({
                scope: state.scope,
                key,
                method: 'POST',
                path: urlPath(req),
                params,
                requestId: state.requestId,
              });
              if (begun.kind === 'replay') {
                const { response } = begun;
                reply.header('Idempotent-Replayed', 'true').header('Original-Request', response.requestId);
                if (response.status >= 500) reply.header('Stripe-Should-Retry', 'false');
                return send(reply, response.status, response.body);
              }
              lock = begun;
            }
            let execute: Execute;
            try {
              execute = handler({ params, path: req.params as Record<string, string> });
            } catch (err) {
              lock?.release();
              throw err;
            }
            if (processingDelayMs > 0) await sleep(processingDelayMs);
            const { status, text } = run(execute, lock, req);
            if (status >= 500 && lock) reply.header('Stripe-Should-Retry', 'false');
            return send(reply, status, text);
          });
        },
      };
      for (const routes of options.routes) routes(api);
      done();
    },
    { prefix: '/v1' },
  );
}
