// What the gate looks at, read from the running stack: each pipeline's outcomes in the phase's window
// (Prometheus, queries.ts) and the saga's invariants on the canary's orders (tools/reconcile's facts and rules).
// A source that cannot be read gives undefined, which the gate turns into "hold", never into a pass.
import { instantQuery } from '../../platform/prometheus.ts';
import { openOrderStore } from '../../order-store/index.ts';
import { loadOrderApiConfig } from '../../services/order-api/config.ts';
import type { Pipeline } from '../../services/order-router/routing.ts';
import { reconcile, type InvariantName } from '../reconcile/invariants.ts';
import type { ArmOutcomes, Breach } from './gate/decide.ts';
import { gatherMoneyFacts } from './facts.ts';
import { outcomeQueries } from './queries.ts';

/**
 * The breaches that roll a canary back at once: money or an order lost. Kafka fan-out (event-not-applied-once)
 * is non-critical in the ADR, and a settling reservation is not a customer harmed.
 */
export const GATING_INVARIANTS: readonly InvariantName[] = [
  'order-lost',
  'orphaned-payment',
  'double-charge',
  'completed-without-payment',
  'completed-without-shipment',
  'shipment-not-cancelled',
];

const scalar = async (prometheus: string, expr: string): Promise<number> => {
  const result = await instantQuery(prometheus, expr);
  const value = Number(result[0]?.value[1] ?? 0); // an empty vector: no series yet, no order
  // increase() extrapolates to the window's edges: round to whole orders, never below 0.
  return Number.isFinite(value) ? Math.max(0, Math.round(value)) : 0;
};

export async function pipelineOutcomes(
  prometheus: string,
  pipeline: Pipeline,
  windowSeconds: number,
  slowAfter: number,
): Promise<ArmOutcomes> {
  const q = outcomeQueries(pipeline, windowSeconds, slowAfter);
  const [orders, failed, slow] = await Promise.all([
    scalar(prometheus, q.orders),
    scalar(prometheus, q.failed),
    scalar(prometheus, q.slow),
  ]);
  return { orders, failed: Math.min(failed, orders), slow: Math.min(slow, orders) };
}

/** Canary = the Temporal pipeline, baseline = legacy, over the same window; undefined if Prometheus fails. */
export async function observeOutcomes(
  prometheus: string,
  since: number,
  now: number,
  slowAfter: number,
): Promise<{ canary: ArmOutcomes; baseline: ArmOutcomes } | undefined> {
  const windowSeconds = Math.floor((now - since) / 1000);
  if (windowSeconds < 1)
    return { canary: { orders: 0, failed: 0, slow: 0 }, baseline: { orders: 0, failed: 0, slow: 0 } };
  try {
    const [canary, baseline] = await Promise.all([
      pipelineOutcomes(prometheus, 'temporal', windowSeconds, slowAfter),
      pipelineOutcomes(prometheus, 'legacy', windowSeconds, slowAfter),
    ]);
    return { canary, baseline };
  } catch {
    return undefined;
  }
}

/** Breaches of the gating invariants by the Temporal pipeline's orders since `since`; undefined if unreadable. */
export async function observeBreaches(
  since: number,
  now: number,
  runningBoundMs: number,
): Promise<Breach[] | undefined> {
  const store = openOrderStore(loadOrderApiConfig().ORDERS_DB);
  try {
    const orders = await store.listCreatedSince(new Date(since).toISOString());
    const facts = await gatherMoneyFacts(
      orders.map((o) => ({
        orderId: o.orderId,
        status: o.status,
        totalCents: o.pricing?.totalCents ?? null,
        createdAt: o.createdAt,
      })),
    );
    // No consumer is asked about events (CONSUMERS_OF empty): see facts.ts.
    const report = reconcile(facts, now, { runningMs: runningBoundMs, eventGraceMs: runningBoundMs }, {});
    return report.violations.filter((v) => GATING_INVARIANTS.includes(v.invariant));
  } catch {
    return undefined;
  } finally {
    await store.close();
  }
}
