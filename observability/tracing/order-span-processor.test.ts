import { describe, expect, it } from 'vitest';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { contextWithOrder } from './order-context.ts';
import { OrderSpanProcessor } from './order-span-processor.ts';

function tracerWith(fallback: () => string | undefined = () => undefined) {
  const exporter = new InMemorySpanExporter();
  const processor = new OrderSpanProcessor(new SimpleSpanProcessor(exporter), fallback);
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  return { tracer: provider.getTracer('test'), exporter, processor };
}

describe('OrderSpanProcessor', () => {
  it('when a span starts in a context whose baggage names an order, then it carries order.id', () => {
    const { tracer, exporter } = tracerWith();
    tracer.startSpan('POST /reservations', {}, contextWithOrder('ord_1', ROOT_CONTEXT)).end();
    tracer.startSpan('GET /metrics', {}, ROOT_CONTEXT).end();
    const [tagged, untagged] = exporter.getFinishedSpans();
    expect(tagged!.attributes['order.id']).toBe('ord_1');
    expect(untagged!.attributes['order.id']).toBeUndefined();
  });

  it('when there is no baggage but the fallback knows the order (a running activity), then that order is used', () => {
    const { tracer, exporter } = tracerWith(() => 'ord_activity');
    context.with(ROOT_CONTEXT, () => tracer.startSpan('RunActivity:processPayment').end());
    const [span] = exporter.getFinishedSpans();
    expect(span!.attributes).toMatchObject({
      'order.id': 'ord_activity',
      'orderflow.step': 'ProcessPayment',
    });
  });

  it('when a workflow span arrives from the sink with the WorkflowInfo copied in, then it keeps the ids as temporal.* and order.id, and drops objects', async () => {
    const { exporter, processor } = tracerWith();
    const fromSink = {
      name: 'StartActivity:reserveInventory',
      spanContext: () =>
        trace
          .wrapSpanContext({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 })
          .spanContext(),
      attributes: {
        workflowId: 'ord_wf',
        runId: 'run-1',
        workflowType: 'ProcessOrderWorkflow',
        taskQueue: 'order-processing',
        historyLength: 12,
        memo: { a: 1 },
        retryPolicy: { maximumAttempts: 3 },
      },
      resource: resourceFromAttributes({}),
    } as unknown as ReadableSpan;
    processor.onEnd(fromSink);
    await processor.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span!.attributes).toEqual({
      'order.id': 'ord_wf',
      'orderflow.step': 'ReserveInventory',
      'temporal.workflow.id': 'ord_wf',
      'temporal.run.id': 'run-1',
      'temporal.workflow.type': 'ProcessOrderWorkflow',
      'temporal.task_queue': 'order-processing',
      historyLength: 12,
    });
  });
});
