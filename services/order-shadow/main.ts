// order-shadow: the Temporal pipeline in shadow mode (ADR-0047 phase 1). Takes the orders the router mirrors,
// runs ProcessOrderWorkflow on them in its own namespace with decide-only activities, compares each outcome with
// the legacy pipeline's for the same order id. Its Temporal workers run only while shadow mode is on (the switch
// file, `npm run shadow -- on|off`): off, the process is an idle HTTP server that re-reads one small file a second.
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Runtime,
  Worker,
  type WorkflowBundle,
} from '@temporalio/worker';
import { shadowStateReader } from '../../contracts/shadow.ts';
import { TASK_QUEUES } from '../../contracts/order/definitions.ts';
import { createRegistry } from '../../observability/metrics/definitions.ts';
import { jsonWorkerLogger } from '../../observability/tracing/worker-logger.ts';
import { serve } from '../../platform/http.ts';
import { temporalConnectionOptions } from '../../platform/temporal.ts';
import { downstreamClient, workflowsPath } from '../../workflows/workers/config.ts';
import { createShadowActivities } from './activities.ts';
import { buildShadowApp } from './app.ts';
import type { PipelineOutcome } from './compare.ts';
import { loadShadowConfig } from './config.ts';
import { createShadowMetrics } from './metrics.ts';
import { createShadowRunner } from './runner.ts';
import { openShadowStore } from './store.ts';

const TERMINAL = new Set(['completed', 'failed', 'compensation_failed']);

const config = loadShadowConfig();
const connectionOptions = temporalConnectionOptions(config);
const registry = createRegistry();
const shadowSwitch = shadowStateReader(config.SHADOW_STATE_FILE);
const store = openShadowStore(config.SHADOW_DB);
const metrics = createShadowMetrics(registry, shadowSwitch.enabled);
const connection = Connection.lazy(connectionOptions);
const temporal = new Client({ connection, namespace: config.SHADOW_TEMPORAL_NAMESPACE });

async function legacyOutcome(orderId: string): Promise<PipelineOutcome | undefined> {
  const res = await fetch(`${config.LEGACY_PIPELINE_URL}/orders/${encodeURIComponent(orderId)}`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) return undefined;
  const o = (await res.json()) as {
    status: string;
    totals: { totalCents: number } | null;
    failure: PipelineOutcome['failure'];
  };
  if (!TERMINAL.has(o.status)) return undefined;
  return { status: o.status, totalCents: o.totals?.totalCents ?? null, failure: o.failure ?? null };
}

const runner = createShadowRunner({
  store,
  temporal,
  legacyOutcome,
  metrics,
  log: { warn: (obj, msg) => app.log.warn(obj, msg) },
});
const app = buildShadowApp({
  store,
  runner,
  enabled: shadowSwitch.enabled,
  metrics: registry,
  logLevel: config.LOG_LEVEL,
});
shadowSwitch.onError((err) => app.log.error({ err }, 'shadow switch unreadable: shadow mode is off'));

const activities = createShadowActivities({
  customer: downstreamClient('customer'),
  inventory: downstreamClient('inventory'),
  pricing: downstreamClient('pricing'),
  tax: downstreamClient('tax'),
  fraud: downstreamClient('fraud'),
  store: {
    recordIntent(orderId, effect, detail) {
      store.recordIntent(orderId, effect, detail);
      metrics.intended(effect);
    },
    recordShadowOutcome: (orderId, outcome) => store.recordShadowOutcome(orderId, outcome),
  },
});

/** The workers of the shadow namespace: the workflow's queue and the two its fraud and payment steps use. */
let bundle: WorkflowBundle | undefined;
let runtimeInstalled = false;
let live: { connection: NativeConnection; workers: Worker[]; runs: Promise<void>[] } | undefined;
let busy = false;

async function startWorkers(): Promise<void> {
  // Once, on the first `on`: the SDK's runtime (JSON logs like the other workers) and the workflow bundle.
  if (!runtimeInstalled) {
    Runtime.install({ logger: jsonWorkerLogger('order-shadow') });
    runtimeInstalled = true;
  }
  bundle ??= await bundleWorkflowCode({ workflowsPath });
  const native = await NativeConnection.connect(connectionOptions);
  const workers = await Promise.all(
    Object.values(TASK_QUEUES).map((taskQueue) =>
      Worker.create({
        connection: native,
        namespace: config.SHADOW_TEMPORAL_NAMESPACE,
        taskQueue,
        activities,
        maxConcurrentActivityTaskExecutions: 20,
        ...(taskQueue === TASK_QUEUES.orders
          ? {
              workflowBundle: bundle,
              // ProcessOrderWorkflow reports its end through this sink; shadow orders are not the pipeline's
              // orders, so they stay out of order_workflow_status_total (the canary gate's input).
              sinks: { orderMetrics: { workflowFinished: { fn: () => {}, callDuringReplay: false } } },
            }
          : {}),
      }),
    ),
  ).catch(async (err: unknown) => {
    await native.close();
    throw err;
  });
  const runs = workers.map((w) =>
    w.run().catch((err: unknown) => app.log.error({ err }, 'shadow worker stopped')),
  );
  live = { connection: native, workers, runs };
  app.log.info({ resumed: runner.resume() }, 'shadow mode on: shadow workers polling');
}

async function stopWorkers(): Promise<void> {
  if (!live) return;
  const { connection: native, workers, runs } = live;
  live = undefined;
  for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  await Promise.all(runs);
  await native.close();
  app.log.info('shadow mode off: shadow workers stopped');
}

async function sync(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    const on = shadowSwitch.enabled();
    if (on && !live) await startWorkers();
    else if (!on && live) await stopWorkers();
  } catch (err) {
    app.log.error({ err }, 'shadow workers: could not follow the switch; retrying');
  } finally {
    busy = false;
  }
}
const timer = setInterval(() => void sync(), 1000);

await serve(app, {
  job: 'order-shadow',
  host: config.HOST,
  port: config.PORT,
  onClose: async () => {
    clearInterval(timer);
    await stopWorkers();
    await connection.close();
    store.close();
  },
});
void sync();
