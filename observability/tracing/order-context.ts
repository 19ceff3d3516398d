// The order a piece of work belongs to, carried as W3C baggage (`order.id`) so every span of the order gets
// the `order.id` attribute in every process: baggage crosses HTTP (fetch, the stripe SDK), Kafka headers and
// Temporal headers with the trace context, and OrderSpanProcessor copies it onto each span it starts.
import { context, propagation, trace, type Context } from '@opentelemetry/api';

export const ORDER_ID_ATTRIBUTE = 'order.id';
/** The baggage entry; same name as the attribute. */
export const ORDER_ID_BAGGAGE = ORDER_ID_ATTRIBUTE;

/** `ctx` with the order id in its baggage. */
export function contextWithOrder(orderId: string, ctx: Context = context.active()): Context {
  const baggage = propagation.getBaggage(ctx) ?? propagation.createBaggage();
  return propagation.setBaggage(ctx, baggage.setEntry(ORDER_ID_BAGGAGE, { value: orderId }));
}

/** The order id in `ctx`'s baggage, if any. */
export function orderIdOf(ctx: Context): string | undefined {
  return propagation.getBaggage(ctx)?.getEntry(ORDER_ID_BAGGAGE)?.value;
}

/**
 * Runs `fn` as part of the order: tags the active span (e.g. the HTTP request that just learned the order
 * id) and puts the id in the baggage of everything `fn` starts.
 */
export function withOrder<T>(orderId: string, fn: () => T): T {
  trace.getActiveSpan()?.setAttribute(ORDER_ID_ATTRIBUTE, orderId);
  return context.with(contextWithOrder(orderId), fn);
}
