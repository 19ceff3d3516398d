// `npm run compare` for real, short: the October incident (inventory +3 s, a Toxiproxy latency toxic on the
// proxy every caller shares, hence this folder: run alone, after the rest) on both pipelines at once, 30 s
// at 1,200 orders/h. Each pipeline's figures must come from its own orders, and the fault must be gone after.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { downstream } from '../../platform/downstream.ts';
import { host, ports } from '../../platform/ports.ts';
import { repoRoot } from '../../platform/paths.ts';
import { toxicsByProxy } from '../../tools/drill/injections.ts';
import { reportsDir } from '../../tools/compare/report.ts';
import type { CompareReport } from '../../tools/compare/run.ts';
import { api } from '../support/orders.ts';
import { requireComponent, uniqueId } from '../support/stack.ts';

function runCompare(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['tools/compare/cli.ts', ...args], { cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run compare', () => {
  it(
    'when the October incident runs on both pipelines for 30 s, then each is judged on its own orders, the legacy checkout waits out inventory three times, and the toxic is gone',
    async () => {
      await requireComponent('order-api', { kind: 'http', url: `${api}/readyz` });
      const legacy = `http://${host}:${ports.legacyOrderService}`;
      await requireComponent('legacy-order-service', { kind: 'http', url: `${legacy}/readyz` });
      const runId = uniqueId('chaos-compare');
      const { code, output } = await runCompare([
        'october-incident',
        '--rate',
        '1200/h',
        '--duration',
        '30s',
        '--drain',
        '60s',
        '--run-id',
        runId,
      ]);
      expect(code, output).not.toBe(2); // invalid: the stack, the fault or the accounting
      expect(code, output).not.toBe(64);

      const report = JSON.parse(
        readFileSync(join(reportsDir, runId, 'report.json'), 'utf8'),
      ) as CompareReport;
      for (const name of ['orchestrated', 'legacy'] as const) {
        const p = report.pipelines[name];
        expect(p.figures.sent, name).toBeGreaterThanOrEqual(5);
        const f = p.figures;
        expect(f.completed + f.declined + f.failed + f.running + f.notAccepted, name).toBe(f.sent);
        expect(p.invariants, name).toBeDefined();
      }
      expect(report.pipelines.orchestrated.entry).toBe(api);
      expect(report.pipelines.legacy.entry).toBe(legacy);
      // Three inventory calls in sequence (availability, reservation, commit), each 3 s late.
      expect(report.pipelines.legacy.responseMs!.p50).toBeGreaterThan(8500);
      // The saga's client gets its 202 at once; the order itself waits for inventory.
      expect(report.pipelines.orchestrated.responseMs!.p50).toBeLessThan(2000);
      expect(report.pipelines.orchestrated.checkoutMs!.p50).toBeGreaterThan(6000);
      expect(report.scenario.fault).toMatch(/inventory-service proxy: latency 3000 ms/);
      expect((await toxicsByProxy()).get(downstream.inventory.name)).toEqual([]);
      for (const file of ['report.md', 'outcomes.svg', 'checkout-time.svg'])
        expect(readFileSync(join(reportsDir, runId, file), 'utf8').length, file).toBeGreaterThan(100);
    },
    5 * 60_000,
  );
});
