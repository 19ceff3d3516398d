// The drills: for each ADR-0047 alert, the fault that makes it fire on the local stack and the traffic that
// satisfies its minimum-traffic guard. Thresholds are not compressed (render-rules.ts), so each fault has to
// cause the real thing: > 2% failed workflows, > 5% compensated, a mean duration above 45 s, 10,000 unread
// messages. Severity, hence the receiver (critical: PagerDuty, warning: Slack), comes from the rules source.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { rulesSource } from '../../alerts/render-rules.ts';
import { type DownstreamName } from '../../platform/downstream.ts';
import { type Injection } from './injections.ts';
import { type Channel } from '../../alerts/receiver/payloads.ts';

export interface OrderBurst {
  readonly perSecond: number;
  /** Hard cap: the burst never sends more, whatever happens. */
  readonly max: number;
}

export interface DrillScenario {
  readonly alert: string;
  /** What happens to the pipeline, in a sentence (printed, and in alerts/README.md). */
  readonly story: string;
  readonly injections: readonly Injection[];
  readonly orders?: OrderBurst;
  /** Copies of one drill order's OrderCompleted event published while a consumer is paused (the lag drill). */
  readonly eventCopies?: number;
  /** How long to wait for the notification after the fault, by default. */
  readonly timeoutMs: number;
}

/** Extra latency per downstream proxy for the duration drill, ms. */
export const SLOW_DOWNSTREAM = {
  customer: 1500,
  inventory: 1500,
  pricing: 3500,
  tax: 3500,
  fraud: 7000,
  payment: 7000,
  shipping: 7000,
  notification: 1000,
} as const satisfies Partial<Record<DownstreamName, number>>;
type SlowService = keyof typeof SLOW_DOWNSTREAM;

/**
 * The downstream calls each ADR step makes on the happy path (workflows/activities/): the latency budget of
 * the duration drill. Every step must stay inside its start-to-close timeout (workflows/order/policies.ts)
 * and every call inside its client's timeout, or orders would fail instead of being slow.
 */
export const CALLS_PER_STEP = {
  ValidateOrder: { customer: 1, inventory: 1 },
  CalculatePricing: { pricing: 1, tax: 1 },
  RunFraudCheck: { fraud: 1 },
  ReserveInventory: { inventory: 1 },
  ProcessPayment: { payment: 3 }, // create, confirm, capture
  CreateShipment: { shipping: 1 },
  FinalizeOrder: { inventory: 1, notification: 1 }, // commit the reservation, confirmation
} as const satisfies Record<string, Partial<Record<SlowService, number>>>;
export type Step = keyof typeof CALLS_PER_STEP;

/** The latency one step gets from SLOW_DOWNSTREAM, ms. */
export const stepLatencyMs = (step: Step): number =>
  Object.entries(CALLS_PER_STEP[step]).reduce(
    (sum, [service, calls]) => sum + SLOW_DOWNSTREAM[service as SlowService] * calls,
    0,
  );

/** The latency a whole order gets, ms. */
export const slowOrderLatencyMs = (): number =>
  (Object.keys(CALLS_PER_STEP) as Step[]).reduce((sum, step) => sum + stepLatencyMs(step), 0);

export const scenarios: readonly DrillScenario[] = [
  {
    alert: 'OrderWorkflowFailureRateHigh',
    story:
      'pricing-service answers 503 to every quote: each order fails at CalculatePricing after its 3 attempts ' +
      '(about 3 s), before anything is reserved, so nothing is compensated.',
    injections: [
      {
        kind: 'service-fault',
        service: 'pricing',
        fault: { errorRate: 1, errorStatus: 503, pathPrefix: '/quotes' },
      },
    ],
    orders: { perSecond: 1, max: 120 },
    timeoutMs: 120_000,
  },
  {
    alert: 'OrderCompensationRateHigh',
    // Not 100%: CancelShipment, a compensation of the same saga, goes to the same service and must get through.
    story:
      'shipping-service answers 503 to half of its requests: 1 order in 8 exhausts CreateShipment’s 3 attempts ' +
      'after payment and is compensated (refund, reservation released); CancelShipment’s 10 attempts get through.',
    injections: [{ kind: 'service-fault', service: 'shipping', fault: { errorRate: 0.5, errorStatus: 503 } }],
    orders: { perSecond: 1, max: 150 },
    timeoutMs: 150_000,
  },
  {
    alert: 'OrderWorkflowDurationHigh',
    // ValidateOrder 1.5+1.5 of 5 s, CalculatePricing 3.5+3.5 of 10 s, RunFraudCheck 7 s, ReserveInventory 1.5 s,
    // ProcessPayment 3 x 7 of 30 s, CreateShipment 7 s, FinalizeOrder 1.5+1 of 5 s (CALLS_PER_STEP).
    story:
      'every downstream service is slow behind its proxy (Toxiproxy latency 1–7 s per response): each order ' +
      `takes about ${Math.round(slowOrderLatencyMs() / 1000)} s and still completes, every step inside its timeout.`,
    injections: Object.entries(SLOW_DOWNSTREAM).map(([service, latency]): Injection => ({
      kind: 'toxic',
      service: service as keyof typeof SLOW_DOWNSTREAM,
      toxic: { type: 'latency', stream: 'downstream', attributes: { latency } },
    })),
    orders: { perSecond: 0.3, max: 80 },
    timeoutMs: 240_000,
  },
  {
    alert: 'KafkaConsumerLagHigh',
    story:
      'analytics-consumer stops reading (paused) while 10,500 copies of one drill order’s OrderCompleted event are ' +
      'published: its lag passes 10,000. The copies carry the header orderflow-drill and the original event id, ' +
      'so every consumer, the resumed one included, skips them as duplicates.',
    injections: [{ kind: 'consumer-paused', consumer: 'analytics' }],
    eventCopies: 10_500,
    timeoutMs: 120_000,
  },
];

export const scenarioFor = (alert: string): DrillScenario | undefined =>
  scenarios.find((s) => s.alert.toLowerCase() === alert.toLowerCase());

interface SourceRuleEntry {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface SourceRule {
  readonly severity: string;
  readonly for: string;
  /** The threshold part of the expression, without its `and on (…)` traffic guard. */
  readonly condition: string;
  /**
   * The same condition with every recorded series replaced by its recording expression: it can be asked of
   * the raw metrics, whatever rules Prometheus has loaded (compressed, it tells whether the drill's windows
   * are quiet before the drill rules are loaded).
   */
  readonly rawCondition: string;
}

const sourceRules = (): SourceRuleEntry[] =>
  (load(readFileSync(rulesSource, 'utf8')) as { groups: { rules: SourceRuleEntry[] }[] }).groups.flatMap(
    (g) => g.rules,
  );

/** `expr` with each recorded series (a whole `level:metric:operations` name) replaced by `(its expression)`. */
export function inlineRecordings(expr: string, recordings: ReadonlyMap<string, string>): string {
  let out = expr;
  for (let depth = 0; depth < 5; depth++) {
    const before = out;
    for (const [name, recorded] of recordings) {
      const token = new RegExp(
        String.raw`(?<![\w:])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\w:])`,
        'g',
      );
      out = out.replace(token, `(${recorded.trim()})`);
    }
    if (out === before) return out;
  }
  throw new Error(`recording rules nest deeper than 5 levels in: ${expr}`);
}

/** The alert's rule in the single rules source. */
export function sourceRule(alert: string): SourceRule {
  const rules = sourceRules();
  const rule = rules.find((r) => r.alert === alert);
  if (!rule?.labels?.severity) throw new Error(`no alert ${alert} with a severity in ${rulesSource}`);
  const condition = rule.expr.split(/\n\s*and\s+on\b/)[0]!.trim();
  const recordings = new Map(rules.flatMap((r) => (r.record ? [[r.record, r.expr] as const] : [])));
  return {
    severity: rule.labels.severity,
    for: rule.for ?? '0s',
    condition,
    rawCondition: inlineRecordings(condition, recordings),
  };
}

/** Where Alertmanager routes the alert: critical pages, warning goes to Slack (alerts/README.md). */
export function expectedChannel(alert: string): Channel {
  const { severity } = sourceRule(alert);
  if (severity === 'critical') return 'pagerduty';
  if (severity === 'warning') return 'slack';
  return 'webhook';
}
