// The canary on the running stack: the router in front of both real pipelines, `npm run canary` moving the
// share, and the gate judging real outcomes from Prometheus and real invariants, its decision in Alertmanager.
// It takes the stack's one canary state for its run and puts back what was there.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderIdFor } from '../../contracts/order-id.ts';
import { repoRoot } from '../../platform/paths.ts';
import { defaultCanaryStatePath, readCanaryState } from '../../services/order-router/canary-state.ts';
import { pipelineFor } from '../../services/order-router/routing.ts';
import { order } from '../support/orders.ts';
import { eventually, host, ports, requireComponent, uniqueId, urls } from '../support/stack.ts';

const run = promisify(execFile);
const router = `http://${host}:${ports.orderRouter}`;
const stateFile = defaultCanaryStatePath();
let saved: string | undefined;

/** `npm run canary -- <args>` as a process; its exit code and output. */
async function canary(args: readonly string[], timeoutMs = 60_000) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(repoRoot, 'tools/canary/cli.ts'), ...args], {
      timeout: timeoutMs,
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

async function submit(customerId: string, key: string) {
  const res = await fetch(`${router}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(order({ customerId })),
    signal: AbortSignal.timeout(30_000),
  });
  return {
    status: res.status,
    pipeline: res.headers.get('x-orderflow-pipeline'),
    body: (await res.json()) as { orderId: string },
  };
}

const TERMINAL = new Set(['completed', 'failed', 'compensation_failed']);

beforeAll(async () => {
  await requireComponent('order-router', { kind: 'http', url: `${router}/healthz` });
  await requireComponent('legacy-order-service', {
    kind: 'http',
    url: `http://${host}:${ports.legacyOrderService}/healthz`,
  });
  try {
    saved = readFileSync(stateFile, 'utf8');
  } catch {
    saved = undefined;
  }
  rmSync(stateFile, { force: true });
});
afterAll(() => {
  if (saved === undefined) rmSync(stateFile, { force: true });
  else writeFileSync(stateFile, saved);
});

describe('canary on the stack', () => {
  it('routes by share, the gate advances on real outcomes, and a rollback sends new orders back to legacy', async () => {
    expect((await canary(['start', '--no-watch', '--soak', '0s'])).code).toBe(0);
    expect((await canary(['start', '--no-watch'])).out).toContain('CANARY_ALREADY_RUNNING');
    expect((await canary(['advance'])).code).toBe(0);
    expect(readCanaryState(stateFile)).toMatchObject({ status: 'running', phase: 50 });
    await new Promise((r) => setTimeout(r, 1100)); // the router re-reads the state every second

    const customer = 'cust-alice';
    const keys = Array.from({ length: 12 }, () => uniqueId('canary'));
    const placed = [];
    for (const key of keys) {
      const res = await submit(customer, key);
      // One contract: both pipelines accept with 202 (the synchronous one once its checkout is done).
      expect(res.status).toBe(202);
      expect(res.pipeline).toBe(pipelineFor(orderIdFor(customer, key), 50));
      placed.push(res);
    }
    expect(new Set(placed.map((p) => p.pipeline))).toEqual(new Set(['temporal', 'legacy']));
    // Each order's status comes from the pipeline that took it, and each ends.
    for (const p of placed) {
      await eventually(
        async () => {
          const res = await fetch(`${router}/orders/${p.body.orderId}`);
          expect(res.headers.get('x-orderflow-pipeline')).toBe(p.pipeline);
          const { status } = (await res.json()) as { status: string };
          return TERMINAL.has(status) ? status : undefined;
        },
        90_000,
        `order ${p.body.orderId} (${p.pipeline}) to end`,
      );
    }
    // Prometheus scrapes every few seconds: the gate sees both sides once the scrapes include these orders.
    await eventually(
      async () => {
        const q = encodeURIComponent('sum(order_workflow_status_total{pipeline="legacy"}) > 0');
        const res = (await (await fetch(`${urls.prometheus}/api/v1/query?query=${q}`)).json()) as {
          data: { result: unknown[] };
        };
        return res.data.result.length > 0 ? true : undefined;
      },
      60_000,
      'legacy outcomes in Prometheus',
    );

    // --slow-after 60: this test is about routing and the gate acting on real outcomes, not about latency; beside
    // the main phase's other tests the Temporal pipeline's orders take over 2 s here (CI rolled it back as slow).
    const gate = await canary(
      ['watch', '--interval', '5s', '--min-orders', '1', '--slow-after', '60'],
      120_000,
    );
    const decisions = readCanaryState(stateFile)!.decisions.filter((d) => d.by === 'gate');
    expect(decisions.length, gate.out).toBeGreaterThan(0);
    const last = decisions.at(-1)!;
    expect(last, gate.out).toMatchObject({ verdict: 'advance', reason: 'HEALTHY', phase: 50 });
    expect((last.evidence?.canary as { orders: number }).orders).toBeGreaterThan(0);
    expect((last.evidence?.baseline as { orders: number }).orders).toBeGreaterThan(0);
    expect(gate.code).toBe(0);
    expect(readCanaryState(stateFile)).toMatchObject({ status: 'promoted', phase: 100 });
    expect(gate.out).toContain('"msg":"canary decision"');

    const canaryId = readCanaryState(stateFile)!.id;
    await eventually(
      async () => {
        const filter = encodeURIComponent(`canary="${canaryId}"`);
        const alerts = (await (
          await fetch(`${urls.alertmanager}/api/v2/alerts?filter=${filter}`)
        ).json()) as {
          labels: Record<string, string>;
        }[];
        return alerts.some((a) => a.labels.verdict === 'advance' && a.labels.decided_by === 'gate')
          ? true
          : undefined;
      },
      15_000,
      'the gate decision in Alertmanager',
    );

    expect((await canary(['rollback', '--reason', 'stack test'])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100));
    for (let i = 0; i < 3; i++)
      expect((await submit(customer, uniqueId('after-rollback'))).pipeline).toBe('legacy');
    const status = await canary(['status']);
    expect(status.out).toMatch(/rolled_back/);
    expect(status.out).toMatch(/advance\s+HEALTHY/);
    const metrics = await (await fetch(`${router}/metrics`)).text();
    expect(metrics).toMatch(/canary_traffic_percent 0/);
    expect(metrics).toMatch(/canary_decisions\{verdict="advance",by="gate"\} 1/);
  }, 240_000); // shares the 2 cores with the rest of the main phase: 43 s alone, over 60 s in CI
});
