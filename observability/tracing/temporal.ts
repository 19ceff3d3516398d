// Temporal's part of the order trace: the -v2 OpenTelemetry plugin (client, activity and workflow
// interceptors; workflow spans leave the sandbox through a sink into this process's span processor), plus
// the order id as baggage for everything an activity calls, so downstream services tag their spans too.
import { context, propagation, type Context as OtelContext } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Context as ActivityContext } from '@temporalio/activity';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import {
  OpenTelemetryPlugin,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry-v2';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { contextWithOrder } from './order-context.ts';
import { setOrderIdFallback, tracingPipeline } from './sdk.ts';

/** The header Temporal's OpenTelemetry interceptors carry the W3C context in. */
const TRACE_HEADER = '_tracer-data';

/**
 * The plugin for a worker (or a replay/test worker): with this process's pipeline when the tracing bootstrap
 * ran, otherwise with a processor that drops everything — the interceptors still run, so histories recorded
 * in tests look like production's.
 */
export function temporalTracingPlugin(): OpenTelemetryPlugin {
  const pipeline = tracingPipeline();
  const spanProcessor: SpanProcessor = pipeline?.spanProcessor ?? new NoopSpanProcessor();
  const resource = pipeline?.resource ?? resourceFromAttributes({ 'service.name': 'orderflow-test' });
  return new OpenTelemetryPlugin({ resource, spanProcessor });
}

/** The activity's order: the workflow id is the order id. */
function currentActivityOrderId(): string | undefined {
  try {
    return ActivityContext.current().info.workflowExecution?.workflowId;
  } catch {
    return undefined; // not inside an activity
  }
}

/**
 * Registered by every worker before its activity interceptors: spans started while an activity runs get
 * `order.id` even without baggage, and the baggage goes out with every call the activity makes.
 */
export function orderBaggageActivityInterceptor(): ActivityInterceptorsFactory {
  setOrderIdFallback(currentActivityOrderId);
  return (ctx) => ({
    inbound: {
      execute: (input, next) => {
        const orderId = ctx.info.workflowExecution?.workflowId;
        return orderId ? context.with(contextWithOrder(orderId), () => next(input)) : next(input);
      },
    },
  });
}

/** Client interceptors for order-api: StartWorkflow / StartWorkflowUpdate spans, context in the headers. */
export const workflowClientTracing = (): { workflow: OpenTelemetryWorkflowClientInterceptor[] } => ({
  workflow: [new OpenTelemetryWorkflowClientInterceptor()],
});

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The trace id Temporal's interceptors put in an activity's or workflow's headers, if any. */
export function traceIdOfHeaders(headers: Readonly<Record<string, Payload>> | undefined): string | undefined {
  const header = headers?.[TRACE_HEADER];
  if (!header) return undefined;
  try {
    const carrier = defaultPayloadConverter.fromPayload<Record<string, string>>(header);
    return TRACEPARENT.exec(carrier.traceparent ?? '')?.[1];
  } catch {
    return undefined; // not ours to fail an activity over
  }
}

/**
 * The trace context the order's workflow was started with (from its first history event), so later work on
 * the order — a reviewer's decision hours later — joins the order's trace instead of starting a new one.
 */
export async function workflowStartContext(
  client: Client,
  workflowId: string,
): Promise<OtelContext | undefined> {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId },
    maximumPageSize: 1,
  });
  const header =
    history?.events?.[0]?.workflowExecutionStartedEventAttributes?.header?.fields?.[TRACE_HEADER];
  if (!header) return undefined;
  const carrier = defaultPayloadConverter.fromPayload<Record<string, string>>(header);
  return propagation.extract(context.active(), carrier);
}
