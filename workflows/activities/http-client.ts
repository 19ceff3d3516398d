// JSON over HTTP to a downstream service, through its Toxiproxy listener. Errors are classified in
// failures.ts; an activity's cancellation aborts the request.
import { Context } from '@temporalio/activity';
import { connectionFailure, downstreamFailure } from './failures.ts';

export interface ServiceClient {
  readonly service: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  /** Like post, but an answer with one of `accept` statuses resolves to undefined instead of failing. */
  postAllowing<T>(path: string, body: unknown, accept: readonly number[]): Promise<T | undefined>;
}

function activitySignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined; // called outside an activity (tests, scripts)
  }
}

export function serviceClient(service: string, baseUrl: string, timeoutMs = 10_000): ServiceClient {
  async function request<T>(
    method: string,
    path: string,
    body: unknown,
    accept: readonly number[],
  ): Promise<T | undefined> {
    const signals = [AbortSignal.timeout(timeoutMs), activitySignal()].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
    } catch (err) {
      throw connectionFailure(service, err);
    }
    const text = await res.text();
    if (res.ok) return (text ? JSON.parse(text) : undefined) as T;
    if (accept.includes(res.status)) return undefined;
    let code: string | undefined;
    let message = text.slice(0, 300);
    try {
      const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
      code = parsed.error?.code;
      message = parsed.error?.message ?? message;
    } catch {
      // not JSON: a proxy or a crashed upstream; keep the raw text
    }
    throw downstreamFailure(service, res.status, code, message);
  }
  return {
    service,
    get: async <T>(path: string) => (await request<T>('GET', path, undefined, []))!,
    post: async <T>(path: string, body?: unknown) => (await request<T>('POST', path, body ?? {}, []))!,
    postAllowing: <T>(path: string, body: unknown, accept: readonly number[]) =>
      request<T>('POST', path, body, accept),
  };
}
