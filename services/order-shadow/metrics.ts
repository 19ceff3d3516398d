// order-shadow's metrics: each compared order and each compared field by result, the effects the shadow side
// recorded instead of making, and whether shadow mode is on. Labels pre-initialised, so a rate is 0, not absent.
import { Counter, Gauge } from 'prom-client';
import type { MetricsRegistry } from '../../observability/metrics/definitions.ts';
import { COMPARED_FIELDS, FIELD_RESULTS, type Comparison } from './compare.ts';

export const INTENDED_EFFECTS = [
  'reserve',
  'charge',
  'ship',
  'finalize',
  'release',
  'refund',
  'cancel_shipment',
  'record_failed',
  'review_feedback',
] as const;

export interface ShadowMetrics {
  compared(comparison: Comparison): void;
  /** An order the shadow side could not compare (its workflow or the legacy record could not be read). */
  errored(): void;
  intended(effect: string): void;
}

export function createShadowMetrics(registry: MetricsRegistry, enabled: () => boolean): ShadowMetrics {
  const orders = new Counter({
    name: 'orderflow_shadow_orders_total',
    help: 'Orders compared in shadow mode, by overall result (error: not comparable, see the shadow report).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const comparisons = new Counter({
    name: 'orderflow_shadow_comparisons_total',
    help: 'Shadow comparisons per field (outcome, amount, reason), legacy against the Temporal pipeline in shadow.',
    labelNames: ['field', 'result'] as const,
    registers: [registry],
  });
  const intents = new Counter({
    name: 'orderflow_shadow_intended_effects_total',
    help: 'Effects the shadow side recorded instead of making (reserve, charge, ship, ...).',
    labelNames: ['effect'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'orderflow_shadow_enabled',
    help: 'Shadow mode: 1 while the router mirrors legacy orders to the Temporal pipeline in shadow.',
    registers: [registry],
    collect() {
      this.set(enabled() ? 1 : 0);
    },
  });
  for (const r of [...FIELD_RESULTS, 'error']) orders.labels(r).inc(0);
  for (const f of COMPARED_FIELDS) for (const r of FIELD_RESULTS) comparisons.labels(f, r).inc(0);
  for (const e of INTENDED_EFFECTS) intents.labels(e).inc(0);
  return {
    compared(c) {
      orders.labels(c.result).inc();
      for (const f of COMPARED_FIELDS) comparisons.labels(f, c.fields[f].result).inc();
    },
    errored() {
      orders.labels('error').inc();
    },
    intended(effect) {
      intents.labels(effect).inc();
    },
  };
}
