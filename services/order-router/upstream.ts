// Forwards one request to a pipeline and relays its answer as it is (status, JSON body, Location), so a client
// sees the same order API contract whichever pipeline took the order. The fetch is traced (OpenTelemetry's
// undici instrumentation), so the order's trace runs through the router into the pipeline.
import { AppError } from '../../platform/errors.ts';
import { OrderRouterErrors } from './errors.ts';
import type { Pipeline } from './routing.ts';

export interface Relayed {
  readonly status: number;
  readonly body: unknown;
  readonly location: string | null;
}

export interface ForwardRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export async function forward(
  pipeline: Pipeline,
  baseUrl: string,
  req: ForwardRequest,
  timeoutMs: number,
): Promise<Relayed> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}${req.path}`, {
      method: req.method,
      headers: {
        ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...req.headers,
      },
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new AppError(
      OrderRouterErrors.upstreamUnavailable,
      502,
      `the ${pipeline} pipeline did not answer ${req.method} ${req.path}: ${(err as Error).message}`,
      { pipeline },
    );
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: relayed as text
  }
  return { status: res.status, body, location: res.headers.get('location') };
}
