// Shared worker bootstrap: metrics, connect, serve one task queue, shut down cleanly on SIGTERM/SIGINT
// (the SDK's runtime handles the signals and lets in-flight activities finish).
//
// Every worker serves its own /metrics (activity_duration_seconds, plus what the caller registers, e.g.
// the order-worker's workflow metrics) and, on a second port, the Temporal SDK's runtime metrics
// (temporal_num_pollers, …); both are announced to Prometheus as file_sd targets of job `<worker>`
// (files `<worker>.json` and `temporal-sdk-<worker>.json`; the instance tells them apart).
import {
  NativeConnection,
  Runtime,
  Worker,
  type InjectedSinks,
  type WorkerOptions,
} from '@temporalio/worker';
import type { Sinks } from '@temporalio/workflow';
import { activityMetricsInterceptor } from '../../observability/metrics/activity-interceptor.ts';
import { createActivityMetrics, type MetricsRegistry } from '../../observability/metrics/definitions.ts';
import { serveMetrics } from '../../observability/metrics/server.ts';
import { writeScrapeTarget, removeScrapeTarget } from '../../platform/scrape-targets.ts';
import {
  orderBaggageActivityInterceptor,
  temporalTracingPlugin,
} from '../../observability/tracing/temporal.ts';
import { jsonWorkerLogger } from '../../observability/tracing/worker-logger.ts';
import { workflowStackTracesHook } from './workflow-stack-traces.ts';
import { explainTemporalConnectFailure, type TemporalConnectionOptions } from '../../platform/temporal.ts';

export interface WorkerMetricsOptions {
  /** The worker's name: the job label of its /metrics target. */
  readonly job: string;
  readonly registry: MetricsRegistry;
  readonly host: string;
  readonly port: number;
  /** The SDK runtime's Prometheus exporter; 0 turns it off. */
  readonly sdkPort: number;
}

export async function runWorker(options: {
  /** Address, TLS and credentials (platform/temporal.ts: temporalConnectionOptions). */
  readonly connection: TemporalConnectionOptions;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly activities: object;
  readonly workflowsPath?: string;
  /** Stack traces in workflow code (workflow-stack-traces.ts); only a worker with workflows uses it. */
  readonly workflowStackTraces?: boolean;
  readonly maxConcurrentActivityTaskExecutions?: number;
  readonly metrics: WorkerMetricsOptions;
  readonly sinks?: InjectedSinks<Sinks>;
  readonly onShutdown?: () => void;
}): Promise<void> {
  const { metrics } = options;
  let sdkTarget: string | undefined;
  // Before the first connection: the runtime is created once per process. JSON logs with trace ids.
  Runtime.install({
    logger: jsonWorkerLogger(metrics.job),
    ...(metrics.sdkPort > 0
      ? {
          telemetryOptions: {
            // Seconds, like every other duration in Prometheus (the SDK's default is milliseconds).
            metrics: {
              prometheus: { bindAddress: `${metrics.host}:${metrics.sdkPort}`, useSecondsForDurations: true },
            },
          },
        }
      : {}),
  });
  if (metrics.sdkPort > 0) {
    // Same job as the worker's /metrics (TemporalTaskQueueNoPollers selects temporal_num_pollers by the
    // worker jobs, so the server's own temporal_num_pollers never counts); its own file and instance.
    sdkTarget = writeScrapeTarget(
      metrics.job,
      metrics.host,
      metrics.sdkPort,
      undefined,
      `temporal-sdk-${metrics.job}`,
    );
  }
  const removeSdkTarget = (): void => {
    if (sdkTarget) removeScrapeTarget(sdkTarget);
  };
  process.once('exit', removeSdkTarget);
  const metricsServer = await serveMetrics({
    registry: metrics.registry,
    job: metrics.job,
    host: metrics.host,
    port: metrics.port,
  });

  // A TLS or credential problem stops the worker at start naming the TEMPORAL_* setting to fix.
  const connection = await NativeConnection.connect(options.connection).catch(async (err: unknown) => {
    throw await explainTemporalConnectFailure(err, options.connection);
  });
  const stackTracesHook = workflowStackTracesHook(options.workflowStackTraces ?? true);
  const workerOptions: WorkerOptions = {
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
    interceptors: {
      activity: [
        orderBaggageActivityInterceptor(),
        activityMetricsInterceptor(createActivityMetrics(metrics.registry)),
      ],
    },
    // Traces: StartActivity/RunActivity, the workflow's spans, and the context in every Temporal header.
    plugins: [temporalTracingPlugin()],
    ...(options.sinks ? { sinks: options.sinks } : {}),
    ...(options.workflowsPath ? { workflowsPath: options.workflowsPath } : {}),
    ...(options.workflowsPath && stackTracesHook
      ? { bundlerOptions: { webpackConfigHook: stackTracesHook } }
      : {}),
  };
  const worker = await Worker.create(workerOptions);
  try {
    await worker.run();
  } finally {
    options.onShutdown?.();
    await connection.close();
    await metricsServer.close();
    removeSdkTarget();
  }
}
