// The chaos experiments, as data (experiment.ts). Each names its fault, its background load (the load
// tool's `normal` rate by default: the 2-core machine is shared; `--rate 8000/h` gives the peak), what
// the verdict expects, the alert that should fire and what `diagnose --since` should name.
import { downstream } from '../../platform/downstream.ts';
import { profiles } from '../load/profiles.ts';
import type { Experiment, Probe } from './experiment.ts';

// order-api's readiness is the load tool's stack check; its /metrics scrape is not a steady-state signal.
const WORKERS = 'order-worker|payment-worker|fraud-worker';

/** Technical failures (business declines apart) as a share of ended workflows, stack-wide, over `window`. */
export const technicalShare = (window: string): string =>
  `sum(rate(order_workflow_status_total{kind="technical"}[${window}])) / ` +
  `sum(rate(order_workflow_status_total[${window}]))`;

const common: readonly Probe[] = [
  {
    kind: 'promql',
    name: 'the three Temporal workers are scraped and up',
    query: `min(up{job=~"${WORKERS}"})`,
    tolerance: { min: 1 },
    empty: 'breaks',
    phases: ['before', 'after'],
  },
  {
    kind: 'promql',
    name: 'technical failures < 1% of ended orders (1m, stack-wide)',
    query: technicalShare('1m'),
    tolerance: { max: 0.01 },
    empty: 'holds',
    phases: ['before'],
  },
  { kind: 'invariants', name: 'every saga invariant holds for the experiment’s orders', phases: ['after'] },
];

const absorbedDuring: Probe = {
  kind: 'promql',
  name: 'technical failures stay < 1% of ended orders while the fault lasts (1m)',
  query: technicalShare('1m'),
  tolerance: { max: 0.01 },
  empty: 'holds',
  phases: ['during'],
};

const load = { ratePerHour: profiles.normal.rate, seconds: 150, mix: 'realistic' } as const;

export const experiments: readonly Experiment[] = [
  {
    name: 'shipping-rejects-after-payment',
    title: 'Shipping rejects after payment: exact compensation',
    story:
      'shipping-service answers 503 to every request for 60 s: each order that reaches CreateShipment in that ' +
      'window has been charged, exhausts its 3 attempts and is compensated (shipment cancelled, payment ' +
      'refunded in full, reservation released). The failures are declared; each must be compensated exactly.',
    tags: ['saga', 'compensation', 'adr-problem-3'],
    load,
    steadyStateHypothesis: { title: 'orders complete and the saga keeps its invariants', probes: common },
    method: {
      startAfterSeconds: 30,
      durationSeconds: 60,
      injections: [{ kind: 'service-fault', service: 'shipping', fault: { errorRate: 1, errorStatus: 503 } }],
    },
    expect: { kind: 'declared-failures', step: 'CreateShipment', service: 'shipping-service' },
    detect: { alert: 'OrderCompensationRateHigh' },
    diagnose: { step: 'CreateShipment', service: 'shipping-service' },
    // CancelShipment retries through the outage (10 attempts over ~4 min): the compensations end after it.
    drainSeconds: 240,
  },
  {
    name: 'payment-brownout',
    title: 'Payment gateway brownout: 30% HTTP 500 plus 2 s latency',
    story:
      'payment-gateway answers 30% of its requests with HTTP 500 and adds 2 s to each, for 2 minutes. ' +
      'ProcessPayment retries within a 5-minute budget (not 2 attempts), the SDK retries each call twice, and ' +
      'every attempt carries the same idempotency keys: orders complete, nobody is charged twice.',
    tags: ['payments', 'brownout', 'retries', 'idempotency'],
    load: { ...load, seconds: 180 },
    steadyStateHypothesis: {
      title: 'orders complete, < 1% technical failures, no double charge',
      probes: [...common, absorbedDuring],
    },
    method: {
      startAfterSeconds: 30,
      durationSeconds: 120,
      injections: [
        {
          kind: 'service-fault',
          service: 'payment',
          fault: { errorRate: 0.3, errorStatus: 500, latencyMs: 2000 },
        },
      ],
    },
    expect: { kind: 'absorbed', maxTechnicalFailureRate: 0.01 },
    drainSeconds: 180,
  },
  {
    name: 'october-inventory-slow',
    title: 'The October incident: inventory +3 s',
    story:
      'inventory-service answers 3 s late (a Toxiproxy latency toxic on its proxy, as its lock contention did ' +
      'in October) for 2 minutes under load. Under ADR-0031 this timed out 23% of checkouts; under the saga ' +
      'orders get slower but complete.',
    tags: ['latency', 'adr-problem-1', 'cascading-failure'],
    load: { ...load, seconds: 180 },
    steadyStateHypothesis: {
      title: 'orders complete, < 1% technical failures',
      probes: [...common, absorbedDuring],
    },
    method: {
      startAfterSeconds: 30,
      durationSeconds: 120,
      injections: [
        {
          kind: 'toxic',
          service: 'inventory',
          toxic: { type: 'latency', stream: 'downstream', attributes: { latency: 3000 } },
        },
      ],
    },
    expect: { kind: 'absorbed', maxTechnicalFailureRate: 0.01 },
    diagnose: { service: 'inventory-service' },
    drainSeconds: 180,
  },
  {
    name: 'payment-blackout',
    title: 'Payment gateway blackout: 60 s fully down at peak',
    story:
      'The payment gateway is unreachable for 60 s (its Toxiproxy proxy disabled: every connection refused) ' +
      'under the peak rate (8,000/h). The outage is inside ProcessPayment’s 5-minute retry budget ' +
      '(docs/payment-retries.md): orders wait in ProcessPayment and complete once it is back, every attempt ' +
      'under the same idempotency keys, so nobody is charged twice.',
    tags: ['payments', 'outage', 'retries', 'idempotency'],
    load: { ...load, ratePerHour: profiles.peak.rate },
    steadyStateHypothesis: {
      title: 'orders complete after the outage, no double charge',
      probes: [...common, absorbedDuring],
    },
    method: {
      startAfterSeconds: 30,
      durationSeconds: 60,
      injections: [{ kind: 'proxy-disabled', proxy: downstream.payment.name }],
    },
    expect: { kind: 'absorbed', maxTechnicalFailureRate: 0.01 },
    diagnose: { service: downstream.payment.name },
    drainSeconds: 240,
  },
  {
    name: 'kafka-down',
    title: 'Kafka down for 60 s under load, then restarted',
    story:
      'The Kafka broker is stopped (supervisorctl stop) for 60 s under load and started again. FinalizeOrder ' +
      'cannot publish: it retries until the broker is back, so orders wait in finalizing and complete after; ' +
      'consumers reconnect. No event is lost and each completed or failed order’s event is applied exactly ' +
      'once by each consumer after recovery (the reconciliation’s event check).',
    tags: ['kafka', 'outage', 'events', 'exactly-once'],
    load,
    steadyStateHypothesis: {
      title: 'orders complete after the outage, every event applied once',
      probes: [...common, absorbedDuring],
    },
    method: {
      startAfterSeconds: 30,
      durationSeconds: 60,
      injections: [{ kind: 'program-stopped', program: 'kafka' }],
    },
    expect: { kind: 'absorbed', maxTechnicalFailureRate: 0.01 },
    drainSeconds: 240,
  },
  {
    name: 'order-worker-killed',
    title: 'order-worker killed (SIGKILL) mid-saga',
    story:
      'The order-worker (workflow and light activities) is killed with SIGKILL under load; supervisord ' +
      'restarts it. Its workflow tasks time out and are picked up again from history, its activities time out ' +
      'and are retried: orders accepted in the next 60 s complete, the saga keeps its invariants.',
    tags: ['crash', 'worker', 'temporal'],
    load,
    steadyStateHypothesis: {
      title: 'orders complete after the crash, the saga keeps its invariants',
      probes: [...common, absorbedDuring],
    },
    method: {
      startAfterSeconds: 30,
      durationSeconds: 60,
      injections: [{ kind: 'program-killed', program: 'order-worker' }],
    },
    expect: { kind: 'absorbed', maxTechnicalFailureRate: 0.01 },
    drainSeconds: 180,
  },
  {
    name: 'payment-worker-killed',
    title: 'payment-worker killed (SIGKILL) mid-payment',
    story:
      'The payment gateway answers 2 s late (a Toxiproxy latency toxic, as test/chaos/worker-crash.test.ts) so ' +
      'payments are in flight, and 5 s later the payment-worker is killed with SIGKILL; supervisord restarts ' +
      'it. The lost ProcessPayment attempts time out (30 s start-to-close) and are retried on the restarted ' +
      'worker with the same idempotency keys: orders complete, nobody is charged twice.',
    tags: ['crash', 'worker', 'payments', 'idempotency'],
    load,
    steadyStateHypothesis: {
      title: 'orders complete after the crash, no double charge',
      probes: [...common, absorbedDuring],
    },
    method: {
      startAfterSeconds: 30,
      durationSeconds: 60,
      injections: [
        {
          kind: 'toxic',
          service: 'payment',
          toxic: { type: 'latency', stream: 'downstream', attributes: { latency: 2000 } },
        },
        { kind: 'program-killed', program: 'payment-worker', afterSeconds: 5 },
      ],
    },
    expect: { kind: 'absorbed', maxTechnicalFailureRate: 0.01 },
    drainSeconds: 180,
  },
  {
    name: 'temporal-restart',
    title: 'Temporal dev server restarted under load',
    story:
      'The Temporal dev server is restarted (SIGTERM, started again on its SQLite file) under load. Workflow ' +
      'state lives in Temporal’s history, so running orders resume where they were once it is back; workers ' +
      'and order-api reconnect. Orders accepted in the 60 s from the restart must complete.',
    tags: ['temporal', 'restart', 'durability'],
    load,
    steadyStateHypothesis: {
      title: 'orders resume and complete after the restart',
      probes: [...common, absorbedDuring],
    },
    method: {
      startAfterSeconds: 30,
      durationSeconds: 60,
      injections: [{ kind: 'program-restarted', program: 'temporal' }],
    },
    expect: { kind: 'absorbed', maxTechnicalFailureRate: 0.01 },
    drainSeconds: 180,
  },
];

export const experimentFor = (name: string): Experiment | undefined =>
  experiments.find((e) => e.name === name.toLowerCase());
