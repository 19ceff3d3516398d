import { describe, expect, it } from 'vitest';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { eventually, uniqueId, urls } from '../support/stack.ts';

describe('Tempo', () => {
  it('when a span is exported over OTLP HTTP, then Tempo returns it by trace id and by TraceQL search', async () => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'orderflow-smoke' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${urls.otlpHttp}/v1/traces` }))],
    });
    const spanName = uniqueId('smoke-span');
    const span = provider.getTracer('smoke').startSpan(spanName, { attributes: { 'order.id': spanName } });
    const traceId = span.spanContext().traceId;
    span.end();
    await provider.forceFlush();
    await provider.shutdown();

    const trace = await eventually(
      async () => {
        const res = await fetch(`${urls.tempo}/api/v2/traces/${traceId}`);
        return res.status === 200 ? await res.text() : undefined;
      },
      30_000,
      `trace ${traceId} by id`,
    );
    expect(trace).toContain(spanName);

    const query = `{ resource.service.name = "orderflow-smoke" && span."order.id" = "${spanName}" }`;
    const found = await eventually(
      async () => {
        const res = await fetch(
          `${urls.tempo}/api/search?q=${encodeURIComponent(query)}&start=${Math.floor(Date.now() / 1000) - 600}&end=${Math.floor(Date.now() / 1000) + 60}`,
        );
        const body = (await res.json()) as { traces?: { traceID: string }[] };
        // Tempo's search drops leading zeros from trace ids.
        return body.traces?.some((t) => t.traceID.padStart(32, '0') === traceId) ? body.traces : undefined;
      },
      30_000,
      `TraceQL search ${query}`,
    );
    expect(found.map((t) => t.traceID.padStart(32, '0'))).toContain(traceId);
  });
});
