// Shared worker bootstrap: connect, serve one task queue, shut down cleanly on SIGTERM/SIGINT (the
// SDK's runtime handles the signals and lets in-flight activities finish).
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';

export async function runWorker(options: {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly activities: object;
  readonly workflowsPath?: string;
  readonly maxConcurrentActivityTaskExecutions?: number;
  readonly onShutdown?: () => void;
}): Promise<void> {
  const connection = await NativeConnection.connect({ address: options.address });
  const workerOptions: WorkerOptions = {
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
    ...(options.workflowsPath ? { workflowsPath: options.workflowsPath } : {}),
  };
  const worker = await Worker.create(workerOptions);
  try {
    await worker.run();
  } finally {
    options.onShutdown?.();
    await connection.close();
  }
}
