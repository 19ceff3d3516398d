// Cost per order of a run: tools/load/cost.ts counts the billable Temporal actions in a bounded sample of the
// run's workflow histories (fetched after the run has drained, so the fetches do not load the measured
// window) and prices them.
import { Client, Connection } from '@temporalio/client';
import { host, ports } from '../../platform/ports.ts';
import { costPerOrder, type CostPerOrder } from './cost.ts';

export async function runCost(
  workflowIds: readonly string[],
  limit = 50,
): Promise<{ cost?: CostPerOrder; error?: string }> {
  if (workflowIds.length === 0) return { error: 'no workflow to count' };
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: `${host}:${ports.temporal}`, connectTimeout: 5000 });
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    return { cost: await costPerOrder(client, workflowIds, { limit }) };
  } catch (err) {
    return { error: (err as Error).message };
  } finally {
    await connection?.close();
  }
}
