// Two bugs the layering issue found: each process read Temporal's address and the order store's location
// from its own defaults, so moving one (TEMPORAL_PORT, ORDERFLOW_STATE_DIR) split the processes apart.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configsUnder } from '../support/child-config.ts';

describe('configuration every process shares', () => {
  it('when TEMPORAL_PORT moves the Temporal server, then order-api and every worker connect to the moved port', () => {
    const { orderApi, workers } = configsUnder({ TEMPORAL_PORT: '17233' });
    expect(orderApi.TEMPORAL_ADDRESS).toBe('127.0.0.1:17233');
    expect(Object.keys(workers)).toEqual(['order-worker', 'fraud-worker', 'payment-worker']);
    for (const [name, worker] of Object.entries(workers))
      expect(worker.TEMPORAL_ADDRESS, name).toBe('127.0.0.1:17233');
  });

  it('when ORDERFLOW_STATE_DIR is set, then order-api and order-worker open the same order store under it', () => {
    const state = mkdtempSync(join(tmpdir(), 'orderflow-state-'));
    const { orderApi, workers } = configsUnder({ ORDERFLOW_STATE_DIR: state });
    expect(orderApi.ORDERS_DB).toBe(join(state, 'data', 'services', 'orders.db'));
    expect(workers['order-worker']?.ORDERS_DB).toBe(orderApi.ORDERS_DB);
  });

  it('when TEMPORAL_ADDRESS and ORDERS_DB are set, then they win over the derived defaults in every process', () => {
    const { orderApi, workers } = configsUnder({
      TEMPORAL_PORT: '17233',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      ORDERS_DB: 'postgres://orders@db/orders',
    });
    for (const c of [orderApi, ...Object.values(workers)]) {
      expect(c.TEMPORAL_ADDRESS).toBe('temporal.internal:7233');
      expect(c.ORDERS_DB).toBe('postgres://orders@db/orders');
    }
  });
});
