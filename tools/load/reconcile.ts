// End-of-run reconciliation from the order store: the run's orders (Idempotency-Key prefixed with the run id)
// and their outcomes, without asking Temporal about each workflow (per-order queries would load the system
// being measured). The store's status is written at acceptance (received) and at the end (completed, failed,
// compensation_failed), so anything still `received` is running.
import { quantileSorted } from 'simple-statistics';
import { isBusinessDecline } from '../../contracts/failures.ts';
import type { OrderRecord } from '../../order-store/index.ts';

export type OutcomeClass = 'completed' | 'declined' | 'failed' | 'running';

export interface ReconciledOrder {
  readonly orderId: string;
  readonly key: string;
  /** The mix's kind, the key's last segment (k6/orders.js). */
  readonly kind: string;
  /** The breakpoint step, when the key carries one (`.s<n>.`). */
  readonly step: number | undefined;
  readonly outcome: OutcomeClass;
  readonly failureType: string | undefined;
  readonly acceptedAt: number;
  /** ms; undefined while running. */
  readonly acceptToTerminalMs: number | undefined;
}

export function classify(o: OrderRecord): OutcomeClass {
  if (o.status === 'completed') return 'completed';
  if (o.status === 'failed') return isBusinessDecline(o.failure?.type) ? 'declined' : 'failed';
  // A compensation that could not complete needs a human: technical, whatever started it.
  if (o.status === 'compensation_failed') return 'failed';
  return 'running';
}

export function reconcileRecord(o: OrderRecord): ReconciledOrder {
  const key = o.idempotencyKey ?? '';
  const outcome = classify(o);
  const acceptedAt = Date.parse(o.createdAt);
  const step = /\.s(\d+)\./.exec(key);
  return {
    orderId: o.orderId,
    key,
    kind: key.split('.').at(-1) ?? '',
    step: step ? Number(step[1]) : undefined,
    outcome,
    failureType: o.failure?.type,
    acceptedAt,
    acceptToTerminalMs: outcome === 'running' ? undefined : Date.parse(o.updatedAt) - acceptedAt,
  };
}

export interface OutcomeCounts {
  readonly completed: number;
  readonly declined: number;
  readonly failed: number;
  readonly running: number;
}

export function countOutcomes(orders: readonly ReconciledOrder[]): OutcomeCounts {
  const c = { completed: 0, declined: 0, failed: 0, running: 0 };
  for (const o of orders) c[o.outcome]++;
  return c;
}

/** Failure types and their counts, most frequent first. */
export function failureTypes(
  orders: readonly ReconciledOrder[],
): { type: string; outcome: OutcomeClass; count: number }[] {
  const m = new Map<string, { type: string; outcome: OutcomeClass; count: number }>();
  for (const o of orders) {
    if (o.outcome !== 'declined' && o.outcome !== 'failed') continue;
    const type = o.failureType ?? 'unknown';
    const e = m.get(type) ?? { type, outcome: o.outcome, count: 0 };
    e.count++;
    m.set(type, e);
  }
  return [...m.values()].sort((a, b) => b.count - a.count);
}

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** p50/p95/p99/max of the samples (simple-statistics' quantile), undefined when there are none. */
export function percentiles(samples: readonly number[]): Percentiles | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    max: sorted[sorted.length - 1]!,
  };
}

/** Accept → terminal of the orders that ended, review orders excluded (a human decides those). */
export function acceptToTerminal(orders: readonly ReconciledOrder[]): number[] {
  return orders.flatMap((o) =>
    o.acceptToTerminalMs !== undefined && o.kind !== 'review' ? [o.acceptToTerminalMs] : [],
  );
}
