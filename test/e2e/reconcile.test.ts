// The reconciliation (`npm run reconcile`, tools/reconcile/) on the real stack: a completed and a cleanly
// compensated order keep every invariant; breaking one on purpose (cancelling a completed order's shipment
// behind the saga's back) is named, by the library and by the command.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/paths.ts';
import { downstream } from '../../platform/downstream.ts';
import { COUNTED_CONSUMERS, CONSUMERS_OF, gatherFacts, localSources } from '../../tools/reconcile/facts.ts';
import { reconcile, type ReconcileReport, type StoredOrder } from '../../tools/reconcile/invariants.ts';
import { address, order, settle, submit, type OrderView } from '../support/orders.ts';
import { eventually, host } from '../support/stack.ts';

const stored = (view: OrderView, createdAt: string): StoredOrder => ({
  orderId: view.orderId,
  status: view.status,
  totalCents: view.totals?.totalCents ?? null,
  createdAt,
});

/** Waits until every counted consumer has applied the order's event (they lag the order by design). */
const eventsApplied = (orderId: string) =>
  eventually(
    async () => {
      const [facts] = await gatherFacts([
        { orderId, status: 'completed', totalCents: null, createdAt: new Date().toISOString() },
      ]);
      const counts = Object.keys(COUNTED_CONSUMERS).map((c) =>
        Object.values(facts!.events[c] ?? {}).reduce((a, b) => a + b, 0),
      );
      return counts.every((n) => n > 0) ? true : undefined;
    },
    45_000,
    `consumers to apply ${orderId}'s event`,
  );

describe('npm run reconcile', () => {
  it('when a completed and a compensated order are reconciled, then every invariant holds; when a shipment is cancelled behind the saga, then it is named', async () => {
    const started = new Date(Date.now() - 1000).toISOString();
    const [ok, refunded] = await Promise.all([
      submit(order({ customerId: 'cust-alice' })),
      submit(
        order({ customerId: 'cust-bob', shippingAddress: { ...address, line1: '1 Undeliverable Road' } }),
      ),
    ]);
    const [okView, refundedView] = await Promise.all([
      settle(ok.body.orderId),
      settle(refunded.body.orderId),
    ]);
    expect([okView.status, refundedView.status]).toEqual(['completed', 'failed']);
    await Promise.all([eventsApplied(okView.orderId), eventsApplied(refundedView.orderId)]);

    const orders = [stored(okView, started), stored(refundedView, started)];
    const bounds = { runningMs: 60_000, eventGraceMs: 0 };
    const clean = reconcile(await gatherFacts(orders, localSources()), Date.now(), bounds, CONSUMERS_OF);
    expect(clean.violations).toEqual([]);
    expect(clean).toMatchObject({ orders: 2, clean: true, byStatus: { completed: 1, failed: 1 } });

    // Break the completed order: its label is cancelled at the carrier, the order still says completed.
    const cancel = await fetch(
      `http://${host}:${downstream.shipping.port}/shipments/${encodeURIComponent(okView.orderId)}/cancel`,
      { method: 'POST' },
    );
    expect(cancel.status).toBe(200);
    const broken = reconcile(await gatherFacts(orders, localSources()), Date.now(), bounds, CONSUMERS_OF);
    expect(broken.clean).toBe(false);
    expect(broken.violations).toEqual([
      { orderId: okView.orderId, invariant: 'completed-without-shipment', detail: 'shipment cancelled' },
    ]);

    // The command reads the same from the order store; orders of other tests may share the window, so
    // only ours are asserted. Events are not judged yet (2 min grace), so only the shipment is named.
    const run = await promisify(execFile)(
      process.execPath,
      [join(repoRoot, 'tools', 'reconcile', 'cli.ts'), '--since', started, '--json'],
      { cwd: repoRoot },
    ).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ReconcileReport;
    const ours = report.violations.filter((v) => [okView.orderId, refundedView.orderId].includes(v.orderId));
    expect(ours).toEqual([
      { orderId: okView.orderId, invariant: 'completed-without-shipment', detail: 'shipment cancelled' },
    ]);
    expect(report.orders).toBeGreaterThanOrEqual(2);
  });
});
