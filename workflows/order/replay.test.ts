// Replays every committed history (workflows/order/histories, recorded by workflow.test.ts with
// RECORD_HISTORIES=1) against the current workflow code: a change that breaks determinism for orders
// already in flight fails here, before a deploy. No server needed.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { createRegistry, createWorkflowMetrics } from '../../observability/metrics/definitions.ts';
import { orderMetricsSinks } from '../workers/workflow-metrics.ts';
import { temporalTracingPlugin } from '../../observability/tracing/temporal.ts';
import { workflowStackTracesHook } from '../workers/workflow-stack-traces.ts';

Runtime.install({ logger: new DefaultLogger('WARN') });

const dir = join(import.meta.dirname, 'histories');
const entries = readdirSync(dir);
const files = entries.filter((f) => f.endsWith('.history.pb'));

describe('ProcessOrderWorkflow replay', () => {
  it('when the committed histories are read, then there are some and every file in the folder is one', () => {
    expect(files.length).toBeGreaterThan(0);
    // Nothing else in the folder: a history saved under another name would silently not be replayed.
    expect(files).toEqual(entries);
  });

  it('when every committed history is replayed against the current code, then none is non-deterministic', async () => {
    const histories = files.map((file) => ({
      workflowId: file.replace('.history.pb', ''),
      history: temporal.api.history.v1.History.decode(readFileSync(join(dir, file))),
    }));
    const failures: string[] = [];
    const replayed: string[] = [];
    // The order-worker's real metrics sink: replaying finished workflows must not count them again.
    const registry = createRegistry();
    const metrics = createWorkflowMetrics(registry);
    for await (const result of Worker.runReplayHistories(
      {
        workflowsPath: join(import.meta.dirname, '..', 'index.ts'),
        sinks: orderMetricsSinks(metrics),
        plugins: [temporalTracingPlugin()], // as the order-worker runs
        bundlerOptions: { webpackConfigHook: workflowStackTracesHook(false) }, // its default: traces off
      },
      histories,
    )) {
      replayed.push(result.workflowId);
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    // Each committed history replayed exactly once: none skipped, none counted twice.
    expect(replayed.length).toBeGreaterThan(0);
    expect(replayed.sort()).toEqual(histories.map((h) => h.workflowId).sort());
    expect(replayed).toHaveLength(files.length);
    const counted = (await metrics.status.get()).values.reduce((sum, v) => sum + v.value, 0);
    expect(counted, 'order_workflow_status_total after replay').toBe(0);
  }, 120_000);
});
