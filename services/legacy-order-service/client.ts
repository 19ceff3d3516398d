// JSON over HTTP to a downstream service, through its Toxiproxy listener, as ADR-0031's order service called
// them: one attempt, a per-call timeout, the request's deadline on top. Every failure is classified by the
// one failure catalogue (contracts/failures.ts), the same rules the activities use, so declines mean the same
// in both pipelines; a call cut by the checkout deadline is marked so.
import {
  classifyConnectionError,
  classifyDownstreamAnswer,
  FailureType,
  type FailureDecision,
} from '../../contracts/failures.ts';
import type { Deadline } from './deadline.ts';

/** A call that did not succeed: the catalogue's decision, and whether the checkout deadline cut it. */
export class CallFailure extends Error {
  readonly decision: FailureDecision;
  readonly deadlineExceeded: boolean;
  constructor(decision: FailureDecision, deadlineExceeded = false) {
    super(decision.message);
    this.name = 'CallFailure';
    this.decision = decision;
    this.deadlineExceeded = deadlineExceeded;
  }
}

export interface JsonClient {
  readonly service: string;
  get<T>(path: string, deadline: Deadline): Promise<T>;
  post<T>(path: string, body: unknown, deadline: Deadline): Promise<T>;
}

/** The checkout deadline passed before `service` answered (or before the step reached it). */
export const deadlineFailure = (service: string, what = `${service} answered`): CallFailure =>
  new CallFailure(
    {
      retryable: false,
      type: FailureType.downstreamUnavailable,
      message: `the checkout deadline passed before ${what}`,
      details: { service, injectedFault: false },
    },
    true,
  );

export function jsonClient(service: string, baseUrl: string, callTimeoutMs: number): JsonClient {
  async function request<T>(method: string, path: string, body: unknown, deadline: Deadline): Promise<T> {
    const budget = deadline.budget(callTimeoutMs);
    if (budget.ms === 0) throw deadlineFailure(service);
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(budget.ms),
      });
      text = await res.text();
    } catch (err) {
      if (budget.deadlineBound && deadline.expired) throw deadlineFailure(service);
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new CallFailure(
        classifyConnectionError(
          service,
          timedOut ? new Error(`no answer within the ${budget.ms} ms call timeout`) : err,
        ),
      );
    }
    if (res.ok) return (text ? JSON.parse(text) : undefined) as T;
    let code: string | undefined;
    let message = text.slice(0, 300);
    try {
      const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
      code = parsed.error?.code;
      message = parsed.error?.message ?? message;
    } catch {
      // not JSON: a proxy or a crashed upstream; keep the raw text
    }
    throw new CallFailure(classifyDownstreamAnswer(service, res.status, code, message));
  }
  return {
    service,
    get: (path, deadline) => request('GET', path, undefined, deadline),
    post: (path, body, deadline) => request('POST', path, body ?? {}, deadline),
  };
}
