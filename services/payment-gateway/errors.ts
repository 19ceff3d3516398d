// Stripe's error shape, `{ error: { type, code?, decline_code?, param?, message, doc_url? } }`, instead of the
// kit's `{ error: { code, message } }`: the stripe SDK builds its error classes (StripeCardError,
// StripeInvalidRequestError, StripeIdempotencyError, ...) from the HTTP status and these fields.
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorFields {
  readonly type: StripeErrorType;
  readonly message: string;
  readonly code?: string;
  readonly decline_code?: string;
  readonly param?: string;
  readonly charge?: string;
  readonly payment_intent?: unknown;
  readonly payment_method?: unknown;
}

export const docUrl = (code: string): string =>
  `https://docs.stripe.com/error-codes/${code.replaceAll('_', '-')}`;

export class StripeError extends Error {
  readonly status: number;
  readonly fields: StripeErrorFields;
  constructor(status: number, fields: StripeErrorFields) {
    super(fields.message);
    this.name = 'StripeError';
    this.status = status;
    this.fields = fields;
  }

  body(): { error: Record<string, unknown> } {
    return { error: errorBody(this.fields) };
  }
}

export function errorBody(fields: StripeErrorFields): Record<string, unknown> {
  return fields.code === undefined ? { ...fields } : { ...fields, doc_url: docUrl(fields.code) };
}

export const invalidRequest = (message: string, extra: { code?: string; param?: string } = {}): StripeError =>
  new StripeError(400, { type: 'invalid_request_error', message, ...extra });

/** `No such payment_intent: 'pi_123'`, as Stripe words it: 404 for an id in the URL, 400 for one in a parameter. */
export const resourceMissing = (what: string, id: string, param?: string): StripeError =>
  new StripeError(param ? 400 : 404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${what}: '${id}'`,
    param: param ?? 'id',
  });

export const unexpectedState = (message: string, param?: string): StripeError =>
  new StripeError(400, {
    type: 'invalid_request_error',
    code: 'payment_intent_unexpected_state',
    message,
    ...(param ? { param } : {}),
  });

export const authenticationError = (message: string): StripeError =>
  new StripeError(401, { type: 'invalid_request_error', message });
