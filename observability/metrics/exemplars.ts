// Exemplars: each histogram observation remembers the trace it came from (`trace_id`), so a slow bucket
// on a dashboard opens the very order that was slow in Tempo. Prometheus keeps them with
// --enable-feature=exemplar-storage and scrapes them from the OpenMetrics registries.
import { isSpanContextValid, trace, TraceFlags } from '@opentelemetry/api';
import type { Histogram, LabelValues } from 'prom-client';

/** The active span's trace id, when it is sampled (an unsampled trace is nowhere to be found). */
export function activeTraceId(): string | undefined {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && isSpanContextValid(ctx) && (ctx.traceFlags & TraceFlags.SAMPLED) !== 0
    ? ctx.traceId
    : undefined;
}

/** Observes `value`, with `traceId` (the active trace by default) as the exemplar when there is one. */
export function observeWithTrace<T extends string>(
  histogram: Histogram<T>,
  labels: LabelValues<T>,
  value: number,
  traceId: string | undefined = activeTraceId(),
): void {
  // prom-client types exemplar labels like the metric's own labels; trace_id is an exemplar-only label.
  const exemplarLabels = (traceId ? { trace_id: traceId } : {}) as LabelValues<T>;
  histogram.observe({ labels, value, exemplarLabels });
}
