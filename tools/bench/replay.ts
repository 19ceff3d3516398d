// Workflow-thread CPU per order, measured offline: the committed history of a completed order replayed N
// times in one worker, with the order-worker's bundle (its tracing plugin, and workflow stack traces on or
// off). No server and no stack: it isolates what the workflow code and the SDK's sandbox cost.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { repoRoot } from '../../platform/paths.ts';
import { temporalTracingPlugin } from '../../observability/tracing/temporal.ts';
import { workflowStackTracesHook } from '../../workflows/workers/workflow-stack-traces.ts';
import { orderMetricsSinks } from '../../workflows/workers/workflow-metrics.ts';
import { createRegistry, createWorkflowMetrics } from '../../observability/metrics/definitions.ts';

const HISTORY = join(repoRoot, 'workflows', 'order', 'histories', 'happy-path-v2.history.pb');
const WARM_UP = 20;

export interface ReplayResult {
  readonly stackTraces: boolean;
  readonly orders: number;
  /** This process's CPU (all threads) per replayed order, ms. */
  readonly cpuMsPerOrder: number;
}

let runtimeInstalled = false;

export async function replayBench(stackTraces: boolean, orders: number): Promise<ReplayResult> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const history = proto.temporal.api.history.v1.History.decode(readFileSync(HISTORY));
  const plugin = temporalTracingPlugin();
  const hook = workflowStackTracesHook(stackTraces);
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: join(repoRoot, 'workflows', 'index.ts'),
    plugins: [plugin],
    logger: new DefaultLogger('WARN'),
    ...(hook ? { webpackConfigHook: hook } : {}),
  });
  const run = async (n: number): Promise<void> => {
    const histories = Array.from({ length: n }, (_, i) => ({ workflowId: `bench-${i}`, history }));
    // The order-worker's metrics sink, as it runs (replay does not call it: finished orders are not counted).
    const sinks = orderMetricsSinks(createWorkflowMetrics(createRegistry()));
    for await (const r of Worker.runReplayHistories({ workflowBundle, plugins: [plugin], sinks }, histories))
      if (r.error) throw r.error;
  };
  await run(WARM_UP); // JIT and the sandbox's first context: not the steady state
  const before = process.cpuUsage();
  await run(orders);
  const used = process.cpuUsage(before);
  return { stackTraces, orders, cpuMsPerOrder: (used.user + used.system) / 1000 / orders };
}
