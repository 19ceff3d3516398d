import { describe, expect, it } from 'vitest';
import { judgeExperiment, type ChaosMeasurements, type ChaosOrder } from './verdict.ts';
import type { Expectation } from './experiment.ts';
import { experimentFor } from './scenarios.ts';

const T0 = Date.parse('2026-12-02T12:00:00Z');
const fault = { startMs: T0, endMs: T0 + 60_000 };
const absorbed: Expectation = { kind: 'absorbed', maxTechnicalFailureRate: 0.01 };
const declared: Expectation = {
  kind: 'declared-failures',
  step: 'CreateShipment',
  service: 'shipping-service',
};

const order = (n: number, over: Partial<ChaosOrder> = {}): ChaosOrder => ({
  orderId: `ord_${n}`,
  acceptedAt: T0 + 1000 * (n % 60),
  outcome: 'completed',
  status: 'completed',
  compensatedCleanly: true,
  violations: [],
  ...over,
});
const orders = (count: number): ChaosOrder[] => Array.from({ length: count }, (_, n) => order(n));

const clean = (over: Partial<ChaosMeasurements> = {}): ChaosMeasurements => ({
  loadInvalid: [],
  probes: [
    { phase: 'before', name: 'up', ok: true, value: '1' },
    { phase: 'during', name: 'technical share', ok: true, value: '0' },
    { phase: 'after', name: 'invariants', ok: true, value: 'all held' },
  ],
  fault,
  orders: orders(200),
  rollback: { failed: [], leftovers: [] },
  ...over,
});

const failing = (v: ReturnType<typeof judgeExperiment>): string[] =>
  v.checks.filter((c) => c.gating && !c.ok).map((c) => c.name);

describe('judgeExperiment', () => {
  it('when every order completes, the hypothesis holds and the rollback is done, then it passes (exit 0)', () => {
    const v = judgeExperiment(clean(), absorbed);
    expect(v.status).toBe('pass');
    expect(v.exitCode).toBe(0);
    expect(v.inFault).toEqual({ sent: 200, technical: 0, rate: 0 });
  });

  it('when 2 of 200 orders in the fault window fail technically (1%), then an absorbed fault fails (ADR < 1%)', () => {
    const o = orders(200).map((x, i) => (i < 2 ? { ...x, outcome: 'failed' as const, status: 'failed' } : x));
    const v = judgeExperiment(clean({ orders: o }), absorbed);
    expect(v.status).toBe('fail');
    expect(v.exitCode).toBe(1);
    expect(failing(v)).toEqual(['technical failures among orders accepted during the fault (ADR)']);
  });

  it('when 1 of 200 fails (0.5%), then it passes the ADR bar and misses our 0.1% bar without failing', () => {
    const o = orders(200).map((x, i) =>
      i === 0 ? { ...x, outcome: 'failed' as const, status: 'failed' } : x,
    );
    const v = judgeExperiment(clean({ orders: o }), absorbed);
    expect(v.status).toBe('pass');
    expect(v.checks.find((c) => c.name.includes('our bar'))).toMatchObject({ ok: false, gating: false });
  });

  it('when POST /orders was not answered 202 during the fault, then that counts as a technical failure', () => {
    const v = judgeExperiment(
      clean({ orders: orders(98), notAccepted: [T0 + 5000, T0 + 6000, T0 - 5000] }),
      absorbed,
    );
    expect(v.inFault).toEqual({ sent: 100, technical: 2, rate: 0.02 });
    expect(v.status).toBe('fail');
  });

  it('when a failure falls outside the fault window, then it does not count toward the window rate', () => {
    const o = [...orders(100), order(999, { acceptedAt: T0 - 10_000, outcome: 'failed', status: 'failed' })];
    expect(judgeExperiment(clean({ orders: o }), absorbed).inFault.technical).toBe(0);
  });

  it('when an order is charged twice, then the invariants check fails', () => {
    const o = orders(50).map((x, i) => (i === 3 ? { ...x, violations: ['double-charge'] } : x));
    const v = judgeExperiment(clean({ orders: o }), absorbed);
    expect(v.status).toBe('fail');
    expect(failing(v)).toEqual(['saga invariants (no lost order, orphaned payment, double charge, …)']);
    expect(v.checks.find((c) => c.name.startsWith('saga'))?.value).toContain('double-charge');
  });

  it('when an order is still running after the drain, then it fails (a technical failure and a lost order)', () => {
    const o = orders(50).map((x, i) =>
      i === 0 ? { ...x, outcome: 'running' as const, status: 'received' } : x,
    );
    const v = judgeExperiment(clean({ orders: o }), absorbed);
    expect(failing(v)).toContain('orders still running after the drain');
  });

  it('when a rollback failed or left a toxic behind, then it fails whatever the orders did', () => {
    const v = judgeExperiment(
      clean({ rollback: { failed: [], leftovers: ['toxics left: inventory-service'] } }),
      absorbed,
    );
    expect(v.status).toBe('fail');
    expect(failing(v)).toEqual(['rollback: every injection undone, stack as found']);
  });

  it('when the steady state did not hold before the fault, then the run is invalid (exit 2), not failed', () => {
    const probes = [{ phase: 'before' as const, name: 'up', ok: false, value: '0' }];
    const v = judgeExperiment(clean({ probes }), absorbed);
    expect(v.status).toBe('invalid');
    expect(v.exitCode).toBe(2);
    expect(v.invalidReasons[0]).toMatch(/steady state did not hold before the fault: up/);
  });

  it('when k6 dropped arrivals or no order was accepted during the fault, then the run is invalid', () => {
    expect(judgeExperiment(clean({ loadInvalid: ['k6 dropped 3 iterations'] }), absorbed).status).toBe(
      'invalid',
    );
    const v = judgeExperiment(clean({ orders: [order(1, { acceptedAt: T0 - 1 })] }), absorbed);
    expect(v.invalidReasons).toContain('no order was accepted while the fault lasted');
  });

  it('when a during probe broke, then it fails', () => {
    const probes = [
      { phase: 'before' as const, name: 'up', ok: true, value: '1' },
      { phase: 'during' as const, name: 'technical share', ok: false, value: '0 → 0.2' },
    ];
    expect(failing(judgeExperiment(clean({ probes }), absorbed))).toEqual([
      'hypothesis during: technical share',
    ]);
  });

  describe('declared failures', () => {
    const atShipment = (n: number, over: Partial<ChaosOrder> = {}): ChaosOrder =>
      order(n, { outcome: 'failed', status: 'failed', failureStep: 'CreateShipment', ...over });

    it('when the declared step fails and each is compensated cleanly, then it passes: they are not counted as undeclared', () => {
      const o = [...orders(100), ...Array.from({ length: 40 }, (_, i) => atShipment(200 + i))];
      const v = judgeExperiment(clean({ orders: o }), declared);
      expect(v.status).toBe('pass');
      expect(v.declared).toEqual({ failures: 40, notClean: 0 });
      expect(v.inFault.technical).toBe(0);
    });

    it('when one declared failure kept the money or ended compensation_failed, then it fails', () => {
      const o = [
        ...orders(100),
        atShipment(300, { violations: ['orphaned-payment'] }),
        atShipment(301, { status: 'compensation_failed', compensatedCleanly: false }),
      ];
      const v = judgeExperiment(clean({ orders: o }), declared);
      expect(v.declared).toEqual({ failures: 2, notClean: 2 });
      expect(failing(v)).toContain(
        'declared failures compensated cleanly (refund, release, cancel; no invariant broken)',
      );
    });

    it('when the fault caused no declared failure, then it fails: the fault did not bite', () => {
      expect(failing(judgeExperiment(clean(), declared))).toEqual([
        'declared failures at CreateShipment (shipping-service)',
      ]);
    });

    it('when orders fail at another step during the fault, then those count as undeclared technical failures', () => {
      const o = [
        ...orders(100),
        atShipment(400),
        order(401, { outcome: 'failed', status: 'failed', failureStep: 'ProcessPayment' }),
        order(402, { outcome: 'failed', status: 'failed', failureStep: 'ProcessPayment' }),
      ];
      const v = judgeExperiment(clean({ orders: o }), declared);
      expect(v.inFault.technical).toBe(2);
      expect(failing(v)).toEqual([
        'undeclared technical failures among orders accepted during the fault (ADR)',
      ]);
    });
  });

  describe('time to detect and diagnose', () => {
    it('when the expected alert never fired, then it fails', () => {
      const v = judgeExperiment(clean({ detect: { alert: 'OrderCompensationRateHigh' } }), absorbed);
      expect(failing(v)).toEqual(['time to detect: OrderCompensationRateHigh firing (compressed rules)']);
    });

    it('when diagnose named the cause after 6 minutes, then it fails the ADR’s 5 minutes; at 90 s it passes but misses our 60 s', () => {
      const late = judgeExperiment(clean({ diagnose: { expected: 'x', namedAfterMs: 360_000 } }), absorbed);
      expect(late.status).toBe('fail');
      const slow = judgeExperiment(clean({ diagnose: { expected: 'x', namedAfterMs: 90_000 } }), absorbed);
      expect(slow.status).toBe('pass');
      expect(slow.checks.find((c) => c.name === 'time to diagnose (our goal)')?.ok).toBe(false);
    });
  });

  describe('the outage experiments (blackout, Kafka down, killed workers, Temporal restart)', () => {
    const outageExperiments = [
      'payment-blackout',
      'kafka-down',
      'order-worker-killed',
      'payment-worker-killed',
      'temporal-restart',
    ];

    it.each(outageExperiments)(
      'when %s left 2 of 100 orders failed in the window, a double charge or an event applied twice, then it fails',
      (name) => {
        const { expect: expectation } = experimentFor(name)!;
        expect(judgeExperiment(clean({ orders: orders(100) }), expectation).status).toBe('pass');
        const failed = orders(100).map((x, i) =>
          i < 2 ? { ...x, outcome: 'failed' as const, status: 'failed' } : x,
        );
        expect(judgeExperiment(clean({ orders: failed }), expectation).status).toBe('fail');
        for (const violation of ['double-charge', 'event-not-applied-once']) {
          const broken = orders(100).map((x, i) => (i === 7 ? { ...x, violations: [violation] } : x));
          expect(failing(judgeExperiment(clean({ orders: broken }), expectation))).toContain(
            'saga invariants (no lost order, orphaned payment, double charge, …)',
          );
        }
      },
    );

    it('when POST /orders answered 503 while Temporal restarted (2 of 100), then temporal-restart fails', () => {
      const v = judgeExperiment(
        clean({ orders: orders(98), notAccepted: [T0 + 1000, T0 + 2000] }),
        experimentFor('temporal-restart')!.expect,
      );
      expect(v.inFault).toEqual({ sent: 100, technical: 2, rate: 0.02 });
      expect(v.status).toBe('fail');
    });
  });
});
