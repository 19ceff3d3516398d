// Puts `order.id` on every span before it is exported, so `{ span.order.id = "<id>" }` finds an order's
// whole story in Tempo:
// - spans started in a context whose baggage names the order (HTTP requests, Kafka records, activities)
//   get it at start;
// - workflow spans come finished from Temporal's workflow sandbox through a sink: the workflow id is the
//   order id. The sink copies the whole WorkflowInfo into their attributes: the ids are renamed to
//   `temporal.*`, values that are no valid attribute (objects such as memo or retryPolicy) are dropped.
import { type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ORDER_ID_ATTRIBUTE, orderIdOf } from './order-context.ts';
import { activityStepName } from '../metrics/definitions.ts';

/** WorkflowInfo keys the Temporal sink copies onto workflow spans, and what they are called on export. */
const WORKFLOW_INFO_ATTRIBUTES: Readonly<Record<string, string>> = {
  workflowId: 'temporal.workflow.id',
  runId: 'temporal.run.id',
  workflowType: 'temporal.workflow.type',
  taskQueue: 'temporal.task_queue',
  attempt: 'temporal.workflow.attempt',
};
type Attributes = ReadableSpan['attributes'];

const isPrimitive = (v: unknown): boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const isAttributeValue = (v: unknown): boolean =>
  isPrimitive(v) || (Array.isArray(v) && v.every((x) => x === null || x === undefined || isPrimitive(x)));

function workflowSpanAttributes(attributes: Attributes): Record<string, Attributes[string]> | undefined {
  const workflowId = attributes.workflowId;
  if (typeof workflowId !== 'string' || attributes.runId === undefined) return undefined;
  const out: Record<string, Attributes[string]> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!isAttributeValue(value)) continue;
    out[WORKFLOW_INFO_ATTRIBUTES[key] ?? key] = value;
  }
  out[ORDER_ID_ATTRIBUTE] ??= workflowId;
  return out;
}

function withWorkflowAttributes(span: ReadableSpan): ReadableSpan {
  const attributes = workflowSpanAttributes(span.attributes);
  if (!attributes) return span;
  const step = stepOf(span.name);
  if (step) attributes[STEP_ATTRIBUTE] = step;
  // Workflow spans are plain objects rebuilt from the sandbox's copy: a spread keeps all of it.
  return { ...span, attributes };
}

/** `RunActivity:reserveInventory` → `ReserveInventory`: the ADR step an activity span belongs to. */
const ACTIVITY_SPAN = /^(?:Start|Run)Activity:(.+)$/;
const stepOf = (spanName: string): string | undefined => {
  const activity = ACTIVITY_SPAN.exec(spanName)?.[1];
  return activity ? activityStepName(activity) : undefined;
};
export const STEP_ATTRIBUTE = 'orderflow.step';

export class OrderSpanProcessor implements SpanProcessor {
  private readonly next: SpanProcessor;
  private readonly orderIdFallback: () => string | undefined;

  /**
   * @param orderIdFallback where else the order id may be known when the baggage has none, e.g. the
   *   Temporal activity running on this async context.
   */
  constructor(next: SpanProcessor, orderIdFallback: () => string | undefined = () => undefined) {
    this.next = next;
    this.orderIdFallback = orderIdFallback;
  }

  onStart(span: Span, parentContext: Context): void {
    if (span.attributes[ORDER_ID_ATTRIBUTE] === undefined) {
      const orderId = orderIdOf(parentContext) ?? this.orderIdFallback();
      if (orderId) span.setAttribute(ORDER_ID_ATTRIBUTE, orderId);
    }
    const step = stepOf(span.name);
    if (step) span.setAttribute(STEP_ATTRIBUTE, step);
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.next.onEnd(withWorkflowAttributes(span));
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
