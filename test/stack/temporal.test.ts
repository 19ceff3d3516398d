import { describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import * as activities from './fixtures/greeting.activities.ts';
import type { greetingWorkflow } from './fixtures/greeting.workflow.ts';
import { uniqueId, urls } from '../support/stack.ts';

Runtime.install({ logger: new DefaultLogger('WARN') });

describe('Temporal dev server', () => {
  it('when a worker polls its task queue, then a started workflow runs to completion and its history is recorded', async () => {
    const taskQueue = uniqueId('smoke');
    const nativeConnection = await NativeConnection.connect({ address: urls.temporal });
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('./fixtures/greeting.workflow.ts', import.meta.url)),
      activities,
    });
    const connection = await Connection.connect({ address: urls.temporal });
    const client = new Client({ connection });
    const workflowId = uniqueId('greeting');
    try {
      const result = await worker.runUntil(
        client.workflow.execute<typeof greetingWorkflow>('greetingWorkflow', {
          taskQueue,
          workflowId,
          args: ['orderflow'],
        }),
      );
      expect(result).toBe('Hello, orderflow!');
      const description = await client.workflow.getHandle(workflowId).describe();
      expect(description.status.name).toBe('COMPLETED');
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      const eventTypes = (history.events ?? []).map((e) => e.eventType);
      expect(eventTypes.length).toBeGreaterThanOrEqual(11); // started, tasks, activity scheduled/started/completed, completed
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});
