// The experiment's own orders (Idempotency-Key prefix = its run id), each with what the order store says and
// what the saga's invariants (tools/reconcile) find in every system of record about it.
import type { OrderRecord } from '../../order-store/index.ts';
import { gatherFacts, CONSUMERS_OF } from '../reconcile/facts.ts';
import { checkOrder, type ReconcileBounds } from '../reconcile/invariants.ts';
import { openStore } from '../load/run.ts';
import { reconcileRecord } from '../load/reconcile.ts';
import type { ChaosOrder } from './verdict.ts';

export async function experimentOrders(runId: string, bounds: ReconcileBounds): Promise<ChaosOrder[]> {
  const store = openStore();
  let records: OrderRecord[];
  try {
    records = await store.listByIdempotencyKeyPrefix(`${runId}.`);
  } finally {
    await store.close();
  }
  const facts = await gatherFacts(
    records.map((o) => ({
      orderId: o.orderId,
      status: o.status,
      totalCents: o.pricing?.totalCents ?? null,
      createdAt: o.createdAt,
    })),
  );
  const now = Date.now();
  const violations = new Map(
    facts.map((f) => [f.order.orderId, checkOrder(f, now, bounds, CONSUMERS_OF).map((v) => v.invariant)]),
  );
  return records.map((r) => {
    const reconciled = reconcileRecord(r);
    return {
      orderId: r.orderId,
      acceptedAt: reconciled.acceptedAt,
      outcome: reconciled.outcome,
      status: r.status,
      ...(r.failure ? { failureStep: r.failure.step } : {}),
      compensatedCleanly: r.compensations.every((c) => c.outcome === 'completed'),
      violations: violations.get(r.orderId) ?? [],
    };
  });
}
