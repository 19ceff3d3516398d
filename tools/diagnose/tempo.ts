// Reads an order's spans from Tempo: a TraceQL search on `order.id` (on every span, see
// observability/tracing/README.md), then every trace found, flattened from OTLP JSON. Bounded calls;
// an empty search is "not found (yet)", an unreachable Tempo is "unavailable", never an exception.
import { CALL_TIMEOUT_MS, type Endpoints } from './endpoints.ts';

export type SpanKind = 'server' | 'client' | 'internal' | 'producer' | 'consumer' | 'unspecified';
export type AttributeValue = string | number | boolean;

export interface Span {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: SpanKind;
  /** `service.name` of the process that recorded it. */
  readonly service: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly error: boolean;
  readonly statusMessage?: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

export type TraceLookup =
  | { readonly status: 'found'; readonly traceIds: readonly string[]; readonly spans: readonly Span[] }
  | { readonly status: 'not_found' | 'unavailable'; readonly reason: string };

/** Tempo may take this long in all for one order; after that the diagnosis goes on without the trace. */
const TEMPO_BUDGET_MS = 4000;

/** Traces per order worth reading: the order's own, plus a few linked ones (duplicates, replays). */
const MAX_TRACES = 5;

export const orderTraceQuery = (orderId: string): string => `{ span.order.id = "${orderId}" }`;
/** The traces that carry the saga itself, not the GET /orders/:id polls that also carry `order.id`. */
const sagaTraceQuery = (orderId: string): string =>
  `{ span.order.id = "${orderId}" && name =~ "(Start|Run)(Workflow|Activity):.*" }`;

export async function findOrderTrace(
  endpoints: Endpoints,
  orderId: string,
  window: { readonly start: Date; readonly end: Date },
): Promise<TraceLookup> {
  // One budget for the whole lookup (up to two searches, then the traces in parallel), not one per call.
  const budget = AbortSignal.timeout(TEMPO_BUDGET_MS);
  const getJson = <T>(url: string): Promise<T> => getJsonWithin<T>(url, budget);
  const search = async (q: string): Promise<string[]> => {
    const params = new URLSearchParams({
      q,
      start: String(Math.floor(window.start.getTime() / 1000)),
      end: String(Math.ceil(window.end.getTime() / 1000)),
      limit: String(MAX_TRACES),
    });
    const found = await getJson<{ traces?: { traceID: string }[] }>(
      `${endpoints.tempo}/api/search?${params.toString()}`,
    );
    // Tempo's search drops leading zeros from trace ids.
    return (found.traces ?? []).map((t) => t.traceID.padStart(32, '0'));
  };
  let traceIds: string[];
  try {
    traceIds = await search(sagaTraceQuery(orderId));
    // An order the workflow never picked up only has order-api's spans.
    if (traceIds.length === 0) traceIds = await search(orderTraceQuery(orderId));
  } catch (err) {
    return { status: 'unavailable', reason: `Tempo at ${endpoints.tempo}: ${reasonOf(err)}` };
  }
  if (traceIds.length === 0)
    return {
      status: 'not_found',
      reason: `no span with order.id = "${orderId}" in Tempo between ${window.start.toISOString()} and ${window.end.toISOString()}`,
    };
  try {
    const traces = await Promise.all(
      traceIds.map((id) => getJson<OtlpTrace>(`${endpoints.tempo}/api/v2/traces/${id}`)),
    );
    return { status: 'found', traceIds, spans: traces.flatMap(flattenOtlp) };
  } catch (err) {
    return { status: 'unavailable', reason: `Tempo at ${endpoints.tempo}: ${reasonOf(err)}` };
  }
}

async function getJsonWithin<T>(url: string, budget: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.any([budget, AbortSignal.timeout(CALL_TIMEOUT_MS)]) });
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${new URL(url).pathname}`);
  return (await res.json()) as T;
}

const reasonOf = (err: unknown): string =>
  err instanceof Error && err.name === 'TimeoutError'
    ? `no answer within ${CALL_TIMEOUT_MS} ms (${TEMPO_BUDGET_MS} ms for the whole lookup)`
    : err instanceof Error
      ? ((err.cause as Error | undefined)?.message ?? err.message)
      : String(err);

// ---- OTLP JSON (Tempo's /api/v2/traces answer, or the older /api/traces `batches`) --------------------

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value?: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpAttribute[];
  status?: { code?: string | number; message?: string };
}
interface OtlpResourceSpans {
  resource?: { attributes?: OtlpAttribute[] };
  scopeSpans?: { spans?: OtlpSpan[] }[];
}
export interface OtlpTrace {
  trace?: { resourceSpans?: OtlpResourceSpans[] };
  batches?: OtlpResourceSpans[];
}

export function flattenOtlp(trace: OtlpTrace): Span[] {
  const spans: Span[] = [];
  for (const rs of trace.trace?.resourceSpans ?? trace.batches ?? []) {
    const service = String(attributesOf(rs.resource?.attributes)['service.name'] ?? 'unknown');
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const start = nanosToMs(s.startTimeUnixNano);
        const code = s.status?.code;
        spans.push({
          traceId: toHex(s.traceId),
          spanId: toHex(s.spanId),
          ...(s.parentSpanId ? { parentSpanId: toHex(s.parentSpanId) } : {}),
          name: s.name,
          kind: kindOf(s.kind),
          service,
          startMs: start,
          durationMs: nanosToMs(s.endTimeUnixNano) - start,
          error: code === 'STATUS_CODE_ERROR' || code === 2,
          ...(s.status?.message ? { statusMessage: s.status.message } : {}),
          attributes: attributesOf(s.attributes),
        });
      }
    }
  }
  return spans.sort((a, b) => a.startMs - b.startMs);
}

function attributesOf(list: OtlpAttribute[] | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const { key, value } of list ?? []) {
    if (!value) continue;
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) out[key] = value.doubleValue;
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
  }
  return out;
}

const nanosToMs = (nanos: string): number => Number(BigInt(nanos) / 1000n) / 1000;

function kindOf(kind: string | undefined): SpanKind {
  const k = (kind ?? '').replace('SPAN_KIND_', '').toLowerCase();
  return (
    (['server', 'client', 'internal', 'producer', 'consumer'] as const).find((v) => v === k) ?? 'unspecified'
  );
}

/** Tempo's OTLP JSON carries ids base64-encoded; the rest of the world writes them in hex. */
function toHex(id: string): string {
  if (/^[0-9a-f]+$/i.test(id) && (id.length === 32 || id.length === 16)) return id.toLowerCase();
  return Buffer.from(id, 'base64').toString('hex');
}
