// The router's metrics, per pipeline: new orders routed, upstream answers and their latency; and the canary as
// the state file says (share, status, decisions recorded by the gate and by hand, the gate's last evidence), so
// the gate's decisions are on /metrics and in Prometheus while the CLI that took them has long exited.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsRegistry } from '../../observability/metrics/definitions.ts';
import { CANARY_STATUSES, canaryPercent, type CanaryState } from './canary-state.ts';
import { PIPELINES, type Pipeline } from './routing.ts';

export interface RouterMetrics {
  routed(pipeline: Pipeline): void;
  upstream(pipeline: Pipeline, route: string, status: number, seconds: number): void;
  /** A legacy order mirrored to order-shadow: sent (202), refused (another answer) or failed (no answer). */
  mirrored(result: 'sent' | 'refused' | 'failed'): void;
}

const VERDICTS = ['start', 'wait', 'hold', 'advance', 'rollback', 'promote'] as const;

export function createRouterMetrics(
  registry: MetricsRegistry,
  canary: () => CanaryState | undefined,
): RouterMetrics {
  const orders = new Counter({
    name: 'order_router_orders_total',
    help: 'New orders the canary router sent to each pipeline (retries of a routed order are not counted again).',
    labelNames: ['pipeline'] as const,
    registers: [registry],
  });
  const requests = new Counter({
    name: 'order_router_upstream_requests_total',
    help: 'Requests the router forwarded, by pipeline, route and the status it relayed (502: the pipeline did not answer).',
    labelNames: ['pipeline', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'order_router_upstream_duration_seconds',
    help: 'Time the pipeline took to answer a forwarded request.',
    labelNames: ['pipeline', 'route'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  const mirrors = new Counter({
    name: 'order_router_shadow_mirrors_total',
    help: 'Legacy orders the router mirrored to order-shadow in shadow mode: sent, refused (not 202) or failed (no answer).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  for (const r of ['sent', 'refused', 'failed']) mirrors.labels(r).inc(0);
  new Gauge({
    name: 'canary_traffic_percent',
    help: "The Temporal pipeline's percentage of new orders, as the router applies it (0: no canary or rolled back).",
    registers: [registry],
    collect() {
      this.set(canaryPercent(canary()));
    },
  });
  new Gauge({
    name: 'canary_status',
    help: 'The canary rollout status (1 on the current one).',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      const state = canary();
      for (const s of CANARY_STATUSES) this.labels(s).set(state?.status === s ? 1 : 0);
    },
  });
  new Gauge({
    name: 'canary_decisions',
    help: 'Decisions recorded for the current canary rollout, by verdict and by whom (gate or manual).',
    labelNames: ['verdict', 'by'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const decisions = canary()?.decisions ?? [];
      for (const v of VERDICTS)
        for (const by of ['gate', 'manual'] as const)
          this.labels(v, by).set(decisions.filter((d) => d.verdict === v && d.by === by).length);
    },
  });
  new Gauge({
    name: 'canary_gate_evidence',
    help: "The gate's last e-value per sequential test (failed, slow); it rolls back at the threshold in its log line.",
    labelNames: ['test'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const last = canary()?.decisions.findLast((d) => d.by === 'gate')?.evidence;
      if (typeof last?.failedEvidence === 'number') this.labels('failed').set(last.failedEvidence);
      if (typeof last?.slowEvidence === 'number') this.labels('slow').set(last.slowEvidence);
    },
  });
  for (const p of PIPELINES) orders.labels(p).inc(0);
  return {
    routed: (pipeline) => orders.labels(pipeline).inc(),
    mirrored: (result) => mirrors.labels(result).inc(),
    upstream(pipeline, route, status, seconds) {
      requests.labels(pipeline, route, String(status)).inc();
      duration.labels(pipeline, route).observe(seconds);
    },
  };
}
