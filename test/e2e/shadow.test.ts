// Shadow mode on the running stack (ADR-0047 phase 1): `npm run shadow -- on`, orders through the router to the
// legacy pipeline (the system of record), each mirrored to order-shadow, which runs ProcessOrderWorkflow on it
// decide-only in its own Temporal namespace and compares. Proves, per order, that every side effect happened
// exactly once (legacy's): one PaymentIntent, one reservation, one shipment, one confirmation; that the real
// workers never saw the order; and that no event for it reached the real Kafka topics. It takes the stack's
// shadow switch for its run and puts back what was there.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WorkflowNotFoundError } from '@temporalio/client';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderIdFor } from '../../contracts/order-id.ts';
import { defaultShadowStatePath, readShadowState } from '../../contracts/shadow.ts';
import { consumers } from '../../consumers/registry.ts';
import { downstream } from '../../platform/downstream.ts';
import { repoRoot } from '../../platform/paths.ts';
import { bucketOf } from '../../services/order-router/routing.ts';
import type { ShadowOrderRow, Intent } from '../../services/order-shadow/store.ts';
import { getJson, order, reservation, stripe, temporalClient } from '../support/orders.ts';
import { eventually, host, ports, requireComponent, uniqueId } from '../support/stack.ts';

const run = promisify(execFile);
const router = `http://${host}:${ports.orderRouter}`;
const shadowUrl = `http://${host}:${ports.orderShadow}`;
const legacyUrl = `http://${host}:${ports.legacyOrderService}`;
const stateFile = defaultShadowStatePath();
let saved: string | undefined;
const startedAt = Math.floor(Date.now() / 1000) - 120; // the gateway's clock may differ a little from ours

async function shadowCli(args: readonly string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(repoRoot, 'tools/shadow/cli.ts'), ...args], {
      timeout: 60_000,
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/**
 * An Idempotency-Key whose order lands in the upper half of the router's buckets: legacy at any canary share
 * below 50% (the canary test may run beside this one), so these orders are legacy's.
 */
function legacyKey(customerId: string): string {
  for (;;) {
    const key = uniqueId('shadow-e2e');
    if (bucketOf(orderIdFor(customerId, key)) >= 50) return key;
  }
}

interface Placed {
  readonly orderId: string;
  readonly status: number;
  readonly totalCents: number | null;
}

/**
 * One order through the router, to legacy. The canary test may run beside this one and hold a share of 100% for a
 * moment (promoted, before it puts the state back): an order the router sends to the Temporal pipeline is not a
 * shadow order, so another is placed, for up to a minute.
 */
async function place(body: ReturnType<typeof order>): Promise<Placed> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${router}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': legacyKey(body.customerId) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const json = (await res.json()) as {
      orderId?: string;
      totals?: { totalCents: number } | null;
      error?: { details?: { orderId: string } };
    };
    const pipeline = res.headers.get('x-orderflow-pipeline');
    if (pipeline !== 'legacy' && attempt < 30) {
      await new Promise((r) => setTimeout(r, 2000));
      continue;
    }
    expect(pipeline, 'the router sends these orders to the Temporal pipeline: a canary holds 100%').toBe(
      'legacy',
    );
    const orderId = json.orderId ?? json.error?.details?.orderId;
    expect(orderId, JSON.stringify(json)).toBeTypeOf('string');
    return { orderId: orderId!, status: res.status, totalCents: json.totals?.totalCents ?? null };
  }
}

const compared = (orderId: string): Promise<ShadowOrderRow & { intents: Intent[] }> =>
  eventually(
    async () => {
      const res = await fetch(`${shadowUrl}/shadow/orders/${orderId}`);
      if (res.status !== 200) return undefined;
      const row = (await res.json()) as ShadowOrderRow & { intents: Intent[] };
      return row.state === 'running' ? undefined : row;
    },
    180_000, // the first order after `on` waits for order-shadow to bundle the workflow and start its workers
    `order ${orderId} compared in shadow`,
  );

/** Every PaymentIntent the gateway holds for the order (newest first, back to this test's start). */
async function intentsFor(orderId: string): Promise<Stripe.PaymentIntent[]> {
  const found: Stripe.PaymentIntent[] = [];
  for await (const pi of stripe.paymentIntents.list({ limit: 100 })) {
    if (pi.created < startedAt) break;
    if (pi.metadata.order_id === orderId) found.push(pi);
  }
  return found;
}

const shipment = (id: string) =>
  fetch(`http://${host}:${downstream.shipping.port}/shipments/${id}`).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as { status?: string },
  }));
const notifications = (id: string) =>
  getJson<{ notifications: { id: string; template: string }[] }>(
    `http://${host}:${downstream.notification.port}/notifications?orderId=${id}`,
  ).then((r) => r.notifications);
const auditEntries = (id: string) =>
  getJson<{ entries: unknown[] }>(`http://${host}:${consumers.auditLog.port}/audit?orderId=${id}`).then(
    (r) => r.entries,
  );

beforeAll(async () => {
  await requireComponent('order-router', { kind: 'http', url: `${router}/healthz` });
  await requireComponent('legacy-order-service', { kind: 'http', url: `${legacyUrl}/readyz` });
  await requireComponent('order-shadow', { kind: 'http', url: `${shadowUrl}/healthz` });
  await requireComponent('audit-log-consumer', {
    kind: 'http',
    url: `http://${host}:${consumers.auditLog.port}/healthz`,
  });
  try {
    saved = readFileSync(stateFile, 'utf8');
  } catch {
    saved = undefined;
  }
});
afterAll(() => {
  if (saved === undefined) rmSync(stateFile, { force: true });
  else writeFileSync(stateFile, saved);
});

describe('shadow mode on the stack', () => {
  it('when shadow mode is on, then both pipelines decide each order, only legacy acts, and the report compares them', async () => {
    expect((await shadowCli(['on', '--by', 'shadow-e2e'])).code).toBe(0);
    expect(readShadowState(stateFile)).toMatchObject({ enabled: true, by: 'shadow-e2e' });
    await new Promise((r) => setTimeout(r, 1100)); // the router re-reads the switch every second

    const happy = [];
    for (let i = 0; i < 3; i++) happy.push(await place(order({ customerId: 'cust-alice' })));
    const blocked = await place(order({ customerId: 'cust-blocked' }));
    const cardDeclined = await place(
      order({ customerId: 'cust-bob', paymentMethod: 'pm_card_chargeDeclined' }),
    );
    for (const p of happy) expect(p.status).toBe(202);
    expect(blocked.status).toBe(422);
    expect(cardDeclined.status).toBe(422);

    // The same decisions: completed for the same amount; declined for the same reason.
    for (const p of happy) {
      const row = await compared(p.orderId);
      expect(row.comparison, JSON.stringify(row)).toMatchObject({ result: 'match' });
      expect(row.shadowOutcome).toEqual({ status: 'completed', totalCents: p.totalCents, failure: null });
      // What the shadow side would have done, recorded instead of done: the same charge as legacy's.
      const effects = Object.fromEntries(row.intents.map((i) => [i.effect, i.detail]));
      expect(Object.keys(effects).sort()).toEqual(['charge', 'finalize', 'reserve', 'ship']);
      expect(effects.charge).toMatchObject({ amountCents: p.totalCents, currency: 'usd' });
    }
    const blockedRow = await compared(blocked.orderId);
    expect(blockedRow.comparison).toMatchObject({
      result: 'match',
      fields: { reason: { legacy: 'CustomerNotEligible', shadow: 'CustomerNotEligible' } },
    });
    expect(blockedRow.intents.map((i) => i.effect)).toEqual(['record_failed']);
    // The card decline happens at the gateway, which the shadow side never calls: not a decision it can check.
    const declinedRow = await compared(cardDeclined.orderId);
    expect(declinedRow.comparison).toMatchObject({
      result: 'unverifiable',
      fields: { outcome: { result: 'unverifiable', legacy: 'declined', shadow: 'completed' } },
    });

    // Exactly one of each side effect per order: legacy's.
    for (const p of happy) {
      const intents = await intentsFor(p.orderId);
      expect(intents.map((pi) => [pi.status, pi.amount_received, pi.metadata.pipeline])).toEqual([
        ['succeeded', p.totalCents, 'legacy'],
      ]);
      expect((await reservation(p.orderId)).status).toBe('committed');
      expect((await shipment(p.orderId)).status).toBe(200);
      expect((await notifications(p.orderId)).map((n) => [n.id, n.template])).toEqual([
        [`${p.orderId}:confirmation`, 'order_confirmation'],
      ]);
    }
    expect(await intentsFor(blocked.orderId)).toEqual([]);
    expect((await reservation(blocked.orderId)).status).toBeUndefined();
    expect((await intentsFor(cardDeclined.orderId)).filter((pi) => pi.status === 'succeeded')).toEqual([]);

    // The real workers never saw these orders (the shadow namespace is the only one that ran them) ...
    for (const p of [...happy, blocked, cardDeclined]) {
      await expect(temporalClient().workflow.getHandle(p.orderId).describe()).rejects.toBeInstanceOf(
        WorkflowNotFoundError,
      );
    }
    // ... and no event for them reached the real topics (the audit log consumes orders.completed and orders.failed).
    await new Promise((r) => setTimeout(r, 5000));
    for (const p of [...happy, blocked, cardDeclined]) expect(await auditEntries(p.orderId)).toEqual([]);

    // The report and the metrics say the same.
    const report = await shadowCli(['report', '--since', '10m']);
    expect(report.out).toMatch(/\| match +\| +[1-9]/);
    expect(report.out).toContain(`unverifiable ${cardDeclined.orderId}`);
    const metrics = await (await fetch(`${shadowUrl}/metrics`)).text();
    expect(metrics).toMatch(/orderflow_shadow_comparisons_total\{field="amount",result="match"\} [1-9]/);
    expect(metrics).toMatch(/orderflow_shadow_intended_effects_total\{effect="charge"\} [1-9]/);
    expect(metrics).toMatch(/orderflow_shadow_enabled 1/);

    // Off: no new order is mirrored.
    expect((await shadowCli(['off'])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100));
    const after = await place(order({ customerId: 'cust-alice' }));
    await new Promise((r) => setTimeout(r, 1000));
    expect((await fetch(`${shadowUrl}/shadow/orders/${after.orderId}`)).status).toBe(404);
  }, 300_000);

  it('when a mirror is not a valid order, then order-shadow answers 400 INVALID_SHADOW_ORDER', async () => {
    const res = await fetch(`${shadowUrl}/shadow/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'x', request: { customerId: 'c' } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_SHADOW_ORDER');
  });
});
