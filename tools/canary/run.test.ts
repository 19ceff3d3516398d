// The gate's step against a real state file and a real HTTP server standing in for Alertmanager's API: the
// decision is recorded in the state, logged with its evidence, notified, and acted on.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCanaryState, writeCanaryState } from '../../services/order-router/canary-state.ts';
import { DEFAULT_POLICY, type ArmOutcomes, type Breach } from './gate/decide.ts';
import { rollback, start } from './lifecycle.ts';
import { decisionAlert, notifyAlertmanager } from './notify.ts';
import { gateStep, type GateDeps } from './run.ts';

const dir = mkdtempSync(join(tmpdir(), 'canary-run-'));
const received: unknown[] = [];
let am: Server;
let amUrl: string;
beforeAll(async () => {
  am = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/api/v2/alerts') {
        received.push(...(JSON.parse(body) as unknown[]));
        res.writeHead(200).end();
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => am.listen(0, '127.0.0.1', r));
  amUrl = `http://127.0.0.1:${(am.address() as { port: number }).port}`;
});
afterAll(() => {
  am.close();
  rmSync(dir, { recursive: true, force: true });
});

const t0 = new Date('2026-12-02T17:00:00.000Z');
type Outcomes = { canary: ArmOutcomes; baseline: ArmOutcomes } | undefined;

function deps(file: string, minute: number, outcomes: Outcomes, breaches: readonly Breach[] | undefined) {
  const logs: Record<string, unknown>[] = [];
  const d: GateDeps = {
    stateFile: file,
    policy: { ...DEFAULT_POLICY, minCanaryOrders: 10 },
    outcomes: () => Promise.resolve(outcomes),
    breaches: () => Promise.resolve(breaches),
    notify: (id, rec) => notifyAlertmanager(amUrl, id, rec),
    log: (l) => logs.push(l),
    now: () => new Date(t0.getTime() + minute * 60_000),
  };
  return { d, logs };
}

describe('gateStep', () => {
  it('holds with no data, records it, and notifies the first hold only', async () => {
    const file = join(dir, 'hold.json');
    writeCanaryState(file, start(undefined, t0, 5 * 60_000));
    received.length = 0;
    const none = { orders: 0, failed: 0, slow: 0 };
    for (const minute of [1, 2]) {
      const { d, logs } = deps(file, minute, { canary: none, baseline: none }, []);
      const step = await gateStep(d);
      expect(step?.decision).toMatchObject({ verdict: 'hold', reason: 'NO_CANARY_ORDERS', by: 'gate' });
      expect(logs[0]).toMatchObject({
        msg: 'canary decision',
        verdict: 'hold',
        evidence: expect.any(Object) as unknown,
      });
    }
    expect(readCanaryState(file)).toMatchObject({ status: 'running', phase: 10 });
    expect(readCanaryState(file)!.decisions.map((x) => x.verdict)).toEqual(['start', 'hold', 'hold']);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      labels: { alertname: 'CanaryDecision', verdict: 'hold', severity: 'info' },
    });
  });

  it('rolls back at once on a breach, and the router then sends nothing to the canary', async () => {
    const file = join(dir, 'breach.json');
    writeCanaryState(file, start(undefined, t0, 5 * 60_000));
    received.length = 0;
    const breach = {
      orderId: 'ord_x',
      invariant: 'orphaned-payment',
      detail: 'failed, but 1200 cents were kept',
    };
    const { d } = deps(file, 1, undefined, [breach]);
    const step = await gateStep(d);
    expect(step?.state).toMatchObject({ status: 'rolled_back' });
    expect(received[0]).toMatchObject({
      labels: { verdict: 'rollback', reason: 'INVARIANT_BREACH', severity: 'warning', phase: '10' },
    });
    expect(
      JSON.parse((received[0] as { annotations: { description: string } }).annotations.description),
    ).toMatchObject({
      breaches: [breach],
    });
    // Rolled back: the gate has nothing more to judge.
    expect(await gateStep(d)).toBeUndefined();
  });

  it('advances a healthy phase, carrying its evidence into the next', async () => {
    const file = join(dir, 'advance.json');
    writeCanaryState(file, start(undefined, t0, 5 * 60_000));
    const outcomes = {
      canary: { orders: 20, failed: 0, slow: 0 },
      baseline: { orders: 180, failed: 1, slow: 2 },
    };
    const { d } = deps(file, 6, outcomes, []);
    const step = await gateStep(d);
    expect(step?.decision.verdict).toBe('advance');
    expect(step?.state).toMatchObject({
      status: 'running',
      phase: 50,
      phaseStartedAt: '2026-12-02T17:06:00.000Z',
    });
  });

  it('leaves a decision taken by hand meanwhile standing', async () => {
    const file = join(dir, 'race.json');
    const s = start(undefined, t0, 0);
    writeCanaryState(file, s);
    const { d } = deps(file, 1, undefined, []);
    const racing: GateDeps = {
      ...d,
      breaches: () => {
        writeCanaryState(file, rollback(s, { ...s.decisions[0]!, verdict: 'rollback', by: 'manual' }));
        return Promise.resolve([]);
      },
    };
    expect(await gateStep(racing)).toBeUndefined();
    expect(readCanaryState(file)!.decisions.at(-1)).toMatchObject({ verdict: 'rollback', by: 'manual' });
  });

  it('fails a notification loudly when Alertmanager refuses it', async () => {
    const alert = decisionAlert('c1', {
      at: t0.toISOString(),
      phase: 10,
      verdict: 'advance',
      reason: 'HEALTHY',
      summary: 's',
      by: 'gate',
    });
    expect(alert.labels).toMatchObject({ severity: 'info', decided_by: 'gate' });
    await expect(
      notifyAlertmanager(`${amUrl}/nowhere`, 'c1', {
        at: t0.toISOString(),
        phase: 10,
        verdict: 'advance',
        reason: 'HEALTHY',
        summary: 's',
        by: 'gate',
      }),
    ).rejects.toThrow(/answered 404/);
  });
});
