// What the trace adds to the history: one span per activity attempt (so per-attempt durations), the
// HTTP calls each attempt made, whether a call reached the downstream service at all (a server span
// answered) or died on the way (network, proxy), and faults the services say they injected.
// Span names and attributes are the tracing contract (observability/tracing/README.md).
import { downstream } from '../../platform/downstream.ts';
import { activityStepName } from '../../observability/metrics/definitions.ts';
import type { Span } from './tempo.ts';

export interface CallEvidence {
  /** The downstream service, from its server span or, when none answered, from the port called. */
  readonly service?: string;
  readonly name: string;
  readonly url?: string;
  readonly serverPort?: number;
  readonly statusCode?: number;
  readonly errorType?: string;
  readonly error: boolean;
  readonly durationMs: number;
  /** False: no status came back and no span of the service answered this call: it died on the way. */
  readonly reachedServer: boolean;
  /** What the service answered, per its own span: with no status on the client, the answer was lost. */
  readonly serverStatusCode?: number;
  /** `error` | `latency`: the service injected this fault (/admin/faults). */
  readonly injectedFault?: string;
}

export interface AttemptEvidence {
  readonly attempt: number;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly error: boolean;
  readonly message?: string;
  readonly calls: readonly CallEvidence[];
}

export interface StepEvidence {
  readonly step: string;
  readonly attempts: readonly AttemptEvidence[];
}

export interface InjectedFault {
  readonly service: string;
  readonly kind: string;
  readonly span: string;
  readonly step?: string;
}

export interface TraceEvidence {
  readonly traceIds: readonly string[];
  readonly spanCount: number;
  readonly errorSpanCount: number;
  readonly services: readonly string[];
  /** Every activity the trace shows, each with its attempts in order. */
  readonly steps: readonly StepEvidence[];
  readonly injectedFaults: readonly InjectedFault[];
}

const ATTEMPT_PREFIX = 'RunActivity:';
const serviceByPort = new Map<number, string>(
  Object.values(downstream).flatMap((s) => [
    [s.port, s.name],
    [s.proxyPort, s.name],
  ]),
);

export function traceEvidence(traceIds: readonly string[], spans: readonly Span[]): TraceEvidence {
  const children = new Map<string, Span[]>();
  for (const s of spans) {
    if (!s.parentSpanId) continue;
    const list = children.get(s.parentSpanId) ?? [];
    list.push(s);
    children.set(s.parentSpanId, list);
  }
  const descendants = (root: Span): Span[] => {
    const out: Span[] = [];
    const queue = [...(children.get(root.spanId) ?? [])];
    for (let s = queue.shift(); s; s = queue.shift()) {
      out.push(s);
      queue.push(...(children.get(s.spanId) ?? []));
    }
    return out;
  };
  const stepOf = (s: Span): string =>
    typeof s.attributes['orderflow.step'] === 'string'
      ? s.attributes['orderflow.step']
      : activityStepName(s.name.slice(ATTEMPT_PREFIX.length));

  const byStep = new Map<string, Span[]>();
  for (const s of spans) {
    if (!s.name.startsWith(ATTEMPT_PREFIX)) continue;
    const list = byStep.get(stepOf(s)) ?? [];
    list.push(s);
    byStep.set(stepOf(s), list);
  }

  const callOf = (client: Span): CallEvidence => {
    const server = descendants(client).find((d) => d.kind === 'server' && d.service !== client.service);
    const port = numberAttr(client, 'server.port');
    const injected = server && [server, ...descendants(server)].find(isInjected);
    const status = numberAttr(client, 'http.response.status_code');
    const serverStatus = server && numberAttr(server, 'http.response.status_code');
    const errorType = client.attributes['error.type'];
    const url = client.attributes['url.full'];
    const service = server?.service ?? (port !== undefined ? serviceByPort.get(port) : undefined);
    return {
      ...(service ? { service } : {}),
      name: client.name,
      ...(typeof url === 'string' ? { url } : {}),
      ...(port !== undefined ? { serverPort: port } : {}),
      ...(status !== undefined ? { statusCode: status } : {}),
      ...(errorType !== undefined ? { errorType: String(errorType) } : {}),
      error: client.error || (status !== undefined && status >= 400),
      durationMs: client.durationMs,
      // An HTTP status came back from the service even when its own span has not reached Tempo yet.
      reachedServer: server !== undefined || status !== undefined,
      ...(serverStatus !== undefined ? { serverStatusCode: serverStatus } : {}),
      ...(injected ? { injectedFault: String(injected.attributes['orderflow.fault.kind'] ?? 'error') } : {}),
    };
  };

  const steps: StepEvidence[] = [...byStep].map(([step, attempts]) => ({
    step,
    attempts: attempts
      .sort((a, b) => a.startMs - b.startMs)
      .map((a, i) => ({
        attempt: i + 1,
        startedAt: new Date(a.startMs).toISOString(),
        durationMs: a.durationMs,
        error: a.error,
        ...(a.statusMessage ? { message: a.statusMessage } : {}),
        calls: descendants(a)
          .filter((d) => d.kind === 'client' || d.kind === 'producer')
          .map(callOf),
      })),
  }));

  const parents = new Map(spans.map((s) => [s.spanId, s]));
  const stepOfSpan = (span: Span): string | undefined => {
    for (let s: Span | undefined = span; s; s = s.parentSpanId ? parents.get(s.parentSpanId) : undefined)
      if (s.name.startsWith(ATTEMPT_PREFIX)) return stepOf(s);
    return undefined;
  };

  return {
    traceIds,
    spanCount: spans.length,
    errorSpanCount: spans.filter((s) => s.error).length,
    services: [...new Set(spans.map((s) => s.service))].sort(),
    steps,
    injectedFaults: spans.filter(isInjected).map((s) => {
      const step = stepOfSpan(s);
      return {
        service: s.service,
        kind: String(s.attributes['orderflow.fault.kind'] ?? 'error'),
        span: s.name,
        ...(step ? { step } : {}),
      };
    }),
  };
}

const isInjected = (s: Span): boolean =>
  s.attributes['orderflow.fault.injected'] === true || s.attributes['orderflow.fault.injected'] === 'true';

function numberAttr(s: Span, key: string): number | undefined {
  const v = s.attributes[key];
  return typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : undefined;
}

export const evidenceFor = (evidence: TraceEvidence | undefined, step: string | undefined) =>
  step ? evidence?.steps.find((s) => s.step === step) : undefined;
