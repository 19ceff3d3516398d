// Failures diagnose reports instead of diagnosing: a stable code for scripts, an exit code, a sentence
// for the person, never a stack trace.
export const EXIT = {
  ok: 0,
  internal: 1,
  orderNotFound: 2,
  temporalUnavailable: 3,
  usage: 64,
} as const;

export type DiagnoseErrorCode = 'USAGE' | 'ORDER_NOT_FOUND' | 'TEMPORAL_UNAVAILABLE' | 'INTERNAL';

export class DiagnoseError extends Error {
  readonly code: DiagnoseErrorCode;
  readonly exitCode: number;
  constructor(code: DiagnoseErrorCode, exitCode: number, message: string) {
    super(message);
    this.name = 'DiagnoseError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

export const usageError = (message: string): DiagnoseError => new DiagnoseError('USAGE', EXIT.usage, message);
