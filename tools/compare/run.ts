// One side-by-side run: the same load split between order-api (the saga) and legacy-order-service (ADR-0031's
// synchronous pipeline) at the same time, under the same fault; a bounded drain; then each pipeline's orders
// from its own order store, the saga's invariants from the systems of record (payment ledger, inventory,
// shipping, consumers: tools/reconcile), and the verdict.
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { host, ports } from '../../platform/ports.ts';
import { openOrderStore, type OrderRecord, type OrderStore } from '../../order-store/index.ts';
import { loadLegacyConfig } from '../../services/legacy-order-service/config.ts';
import { mixes, ordersOf } from '../load/mix.ts';
import {
  acceptToTerminal,
  countOutcomes,
  failureTypes,
  percentiles,
  reconcileRecord,
  type Percentiles,
  type ReconciledOrder,
} from '../load/reconcile.ts';
import { ensureStock, openStore, orderApiUrl, stackProblem } from '../load/run.ts';
import { CONSUMERS_OF, gatherFacts } from '../reconcile/facts.ts';
import {
  reconcile,
  type InvariantName,
  type ReconcileReport,
  type Violation,
} from '../reconcile/invariants.ts';
import type { CompareOptions } from './args.ts';
import { applyFault, type AppliedFault } from './fault.ts';
import { runK6 } from './k6.ts';
import { describeScenario } from './scenarios.ts';
import {
  judgeComparison,
  PIPELINES,
  type CompareVerdict,
  type Pipeline,
  type PipelineFigures,
} from './verdict.ts';

export const legacyUrl = `http://${host}:${ports.legacyOrderService}`;

export interface OrderPoint {
  readonly pipeline: Pipeline;
  /** Seconds from the start of sending to the order's acceptance. */
  readonly t: number;
  readonly outcome: ReconciledOrder['outcome'];
  readonly checkoutMs: number | undefined;
  readonly failureType: string | undefined;
}

export interface PipelineReport {
  readonly entry: string;
  readonly keyPrefix: string;
  readonly ratePerHour: number;
  readonly figures: PipelineFigures;
  readonly failureTypes: ReturnType<typeof failureTypes>;
  readonly invariants: Readonly<Record<InvariantName, number>> | undefined;
  readonly violations: readonly Violation[];
  /** Accepted → ended, from the order store (what the customer waits for until the order is done). */
  readonly checkoutMs: Percentiles | undefined;
  /** POST /orders as k6 timed it: the saga's 202, the legacy pipeline's whole checkout. */
  readonly responseMs: Percentiles | undefined;
}

export interface CompareReport {
  readonly runId: string;
  readonly scenario: { readonly name: string; readonly title: string; readonly fault: string };
  readonly options: Omit<CompareOptions, 'scenario'>;
  readonly startedAt: number;
  readonly sentUntil: number;
  readonly drainedAt: number;
  readonly pipelines: Readonly<Record<Pipeline, PipelineReport>>;
  readonly points: readonly OrderPoint[];
  readonly verdict: CompareVerdict;
}

const emptyFigures: PipelineFigures = {
  sent: 0,
  droppedIterations: 0,
  completed: 0,
  declined: 0,
  failed: 0,
  running: 0,
  notAccepted: 0,
  orphanedPayments: 0,
  doubleCharges: 0,
  lostOrders: 0,
};

/** The report of a run that never sent anything: invalid, with why. */
function notRun(
  o: CompareOptions,
  problems: { stackProblem?: string; faultProblem?: string },
): CompareReport {
  const now = Date.now();
  const pipeline = (entry: string, keyPrefix: string, ratePerHour: number): PipelineReport => ({
    entry,
    keyPrefix,
    ratePerHour,
    figures: emptyFigures,
    failureTypes: [],
    invariants: undefined,
    violations: [],
    checkoutMs: undefined,
    responseMs: undefined,
  });
  const rates = split(o);
  const { scenario, ...options } = o;
  return {
    runId: o.runId,
    scenario: { name: scenario.name, title: scenario.title, fault: describeScenario(scenario) },
    options,
    startedAt: now,
    sentUntil: now,
    drainedAt: now,
    pipelines: {
      orchestrated: pipeline(orderApiUrl, `${o.runId}-orchestrated.`, rates.orchestrated),
      legacy: pipeline(legacyUrl, `${o.runId}-legacy.`, rates.legacy),
    },
    points: [],
    verdict: judgeComparison({
      ...problems,
      pipelines: { orchestrated: emptyFigures, legacy: emptyFigures },
    }),
  };
}

/** Orders/h to each pipeline: integers (k6 takes rates per hour), summing to the total. */
export function split(o: Pick<CompareOptions, 'ratePerHour' | 'legacyShare'>): Record<Pipeline, number> {
  const legacy = Math.round(o.ratePerHour * o.legacyShare);
  return { orchestrated: o.ratePerHour - legacy, legacy };
}

async function drain(
  sides: readonly { store: OrderStore; prefix: string }[],
  deadline: number,
  log: (line: string) => void,
): Promise<void> {
  for (;;) {
    let running = 0;
    for (const s of sides)
      running += (await s.store.listByIdempotencyKeyPrefix(s.prefix)).filter(
        (r) => r.status === 'received',
      ).length;
    if (running === 0) return;
    if (Date.now() > deadline) {
      log(`[compare] drain bound passed with ${running} orders still running`);
      return;
    }
    await delay(1000);
  }
}

async function invariantsOf(
  records: readonly OrderRecord[],
  now: number,
  runningMs: number,
  consumersOf: Readonly<Record<string, readonly string[]>>,
): Promise<ReconcileReport> {
  const facts = await gatherFacts(
    records.map((r) => ({
      orderId: r.orderId,
      status: r.status,
      totalCents: r.pricing?.totalCents ?? null,
      createdAt: r.createdAt,
    })),
  );
  return reconcile(facts, now, { runningMs, eventGraceMs: 2 * 60_000 }, consumersOf);
}

export async function runCompare(
  o: CompareOptions,
  log: (line: string) => void,
  dir: string,
): Promise<CompareReport> {
  const stack = await stackProblem();
  if (stack) return notRun(o, { stackProblem: stack });

  const rates = split(o);
  const mix = mixes[o.mix];
  const sides = {
    orchestrated: { entry: orderApiUrl, runId: `${o.runId}-orchestrated`, store: openStore() },
    legacy: {
      entry: legacyUrl,
      runId: `${o.runId}-legacy`,
      store: openOrderStore(process.env.LEGACY_ORDERS_DB ?? loadLegacyConfig().LEGACY_ORDERS_DB),
    },
  };
  try {
    await ensureStock(mix, ordersOf(o.ratePerHour, o.seconds), log);
    let fault: AppliedFault;
    try {
      fault = await applyFault(o.scenario, o.runId);
    } catch (err) {
      return notRun(o, { faultProblem: (err as Error).message });
    }
    log(`[compare] ${o.scenario.name}: ${describeScenario(o.scenario)}`);
    log(
      `[compare] sending ${rates.orchestrated}/h to order-api and ${rates.legacy}/h to legacy-order-service for ${o.seconds} s, run id ${o.runId}`,
    );
    const startedAt = Date.now();
    let k6: Record<Pipeline, Awaited<ReturnType<typeof runK6>>>;
    let sentUntil: number;
    let faultLeft: string[];
    try {
      const [orch, leg] = await Promise.all(
        PIPELINES.map((p) =>
          runK6(
            {
              runId: sides[p].runId,
              baseUrl: sides[p].entry,
              mix,
              schedule: { rate: rates[p], seconds: o.seconds },
              dir: join(dir, p),
            },
            log,
          ),
        ),
      );
      k6 = { orchestrated: orch!, legacy: leg! };
      sentUntil = Date.now();
      log(`[compare] sent; draining (at most ${o.drainSeconds} s)`);
      await drain(
        PIPELINES.map((p) => ({ store: sides[p].store, prefix: `${sides[p].runId}.` })),
        sentUntil + o.drainSeconds * 1000,
        log,
      );
    } finally {
      faultLeft = await fault.remove();
    }
    const drainedAt = Date.now();

    let factsProblem: string | undefined;
    const pipelines = {} as Record<Pipeline, PipelineReport>;
    const points: OrderPoint[] = [];
    for (const p of PIPELINES) {
      const prefix = `${sides[p].runId}.`;
      const records = await sides[p].store.listByIdempotencyKeyPrefix(prefix);
      const orders = records.map(reconcileRecord);
      const counts = countOutcomes(orders);
      let invariants: ReconcileReport | undefined;
      try {
        log(
          `[compare] ${p}: reading the payment ledger, inventory, shipping and consumers for ${records.length} orders`,
        );
        // The legacy pipeline publishes no events (ADR-0031 had no Kafka): only the saga's are checked.
        invariants = await invariantsOf(
          records,
          Date.now(),
          o.drainSeconds * 1000,
          p === 'orchestrated' ? CONSUMERS_OF : {},
        );
      } catch (err) {
        factsProblem = `${p}: ${(err as Error).message}`;
      }
      const sent = Math.max(k6[p].submits.length, k6[p].iterations);
      const figures: PipelineFigures = {
        sent,
        droppedIterations: k6[p].droppedIterations,
        ...counts,
        notAccepted: Math.max(0, sent - orders.length),
        orphanedPayments: invariants?.byInvariant['orphaned-payment'] ?? 0,
        doubleCharges: invariants?.byInvariant['double-charge'] ?? 0,
        lostOrders: invariants?.byInvariant['order-lost'] ?? 0,
      };
      pipelines[p] = {
        entry: sides[p].entry,
        keyPrefix: prefix,
        ratePerHour: rates[p],
        figures,
        failureTypes: failureTypes(orders),
        invariants: invariants?.byInvariant,
        violations: invariants?.violations ?? [],
        checkoutMs: percentiles(acceptToTerminal(orders)),
        responseMs: percentiles(k6[p].submits.map((s) => s.ms)),
      };
      for (const order of orders)
        points.push({
          pipeline: p,
          t: (order.acceptedAt - startedAt) / 1000,
          outcome: order.outcome,
          checkoutMs: order.acceptToTerminalMs,
          failureType: order.failureType,
        });
    }
    const stackAfter = await stackProblem();
    const { scenario, ...options } = o;
    return {
      runId: o.runId,
      scenario: { name: scenario.name, title: scenario.title, fault: describeScenario(scenario) },
      options,
      startedAt,
      sentUntil,
      drainedAt,
      pipelines,
      points,
      verdict: judgeComparison({
        ...(stackAfter ? { stackProblem: stackAfter } : {}),
        ...(faultLeft.length > 0 ? { faultProblem: `not removed: ${faultLeft.join('; ')}` } : {}),
        ...(factsProblem ? { factsProblem } : {}),
        pipelines: { orchestrated: pipelines.orchestrated.figures, legacy: pipelines.legacy.figures },
      }),
    };
  } finally {
    await sides.orchestrated.store.close();
    await sides.legacy.store.close();
  }
}
