// Errors with stable codes. Every service turns them into `{ error: { code, message, details? } }` with the
// error's HTTP status in one place (http.ts), so callers branch on `code`, never on message text.
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  constructor(code: string, status: number, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export const notFound = (what: string, id: string): AppError =>
  new AppError(`${what.toUpperCase().replaceAll(/[^A-Z]+/g, '_')}_NOT_FOUND`, 404, `${what} ${id} not found`);

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}
