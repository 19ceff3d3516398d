// `npm run load` for real, short: the smoke profile for 20 s at 1,800 orders/h against the running stack
// (`npm start`). The verdict must come from this run's own orders: every order k6 sent is found in the order
// store under the run id, and the report's figures are those orders.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/paths.ts';
import { requireComponent, uniqueId } from '../support/stack.ts';
import { api } from '../support/orders.ts';
import { reportsDir } from '../../tools/load/cli.ts';
import { openStore } from '../../tools/load/run.ts';
import type { RunReport } from '../../tools/load/report.ts';

function runLoad(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['tools/load/cli.ts', ...args], { cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run load', () => {
  it('when the smoke profile runs for 20 s, then its verdict is computed from exactly the orders it sent', async () => {
    await requireComponent('order-api', { kind: 'http', url: `${api}/readyz` });
    const runId = uniqueId('e2e-load');
    const { code, output } = await runLoad([
      'smoke',
      '--duration',
      '20s',
      '--rate',
      '1800/h',
      '--drain',
      '40s',
      '--run-id',
      runId,
      '--no-cost',
    ]);
    // 2 would be an invalid run (stack not ready, dropped iterations): the run must have measured something.
    expect([0, 1], output).toContain(code);
    expect(output).toMatch(/VERDICT: (PASS|FAIL)/);

    const report = JSON.parse(readFileSync(join(reportsDir, runId, 'report.json'), 'utf8')) as RunReport;
    const phase = report.phases[0]!;
    expect(report.runId).toBe(runId);
    expect(phase.droppedIterations).toBe(0);
    expect(phase.sent).toBeGreaterThanOrEqual(8); // 1,800/h for 20 s = 10 arrivals
    expect(phase.sent).toBeLessThanOrEqual(12);
    expect(phase.reconciledOrders).toBe(phase.sent);
    expect(phase.allKeysCarryRunId).toBe(true);
    const o = phase.outcomes;
    expect(o.completed + o.declined + o.failed + o.running + o.missing + o.notAccepted).toBe(o.sent);
    expect(report.charts).toEqual(['throughput.svg', 'latency.svg', 'failures.svg', 'cpu.svg']);

    // The store holds exactly those orders under the run id, and nothing else carries it.
    const store = openStore();
    try {
      const mine = await store.listByIdempotencyKeyPrefix(`${runId}.`);
      expect(mine).toHaveLength(phase.sent);
      expect(mine.every((r) => r.idempotencyKey?.startsWith(`${runId}.`))).toBe(true);
      expect(mine.filter((r) => r.status === 'completed')).toHaveLength(o.completed);
    } finally {
      await store.close();
    }
  }, 150_000);
});
