// `npm run diagnose` against orders that really went wrong on the running stack: the CLI as a person
// runs it, reading Temporal, Tempo and Toxiproxy. It injects a fault into shipping-service, which every
// order shares, so it runs in the chaos phase (one file at a time), not beside the other e2e tests.
import { afterEach, describe, expect, it } from 'vitest';
import { downstream } from '../../platform/downstream.ts';
import type { Summary } from '../../tools/diagnose/summary.ts';
import { diagnoseJson, diagnoseUntil, runDiagnose, tracedAttempts } from '../support/diagnose.ts';
import { requireComponent } from '../support/stack.ts';
import { address, api, order, settle, submit, waitForStatus } from '../support/orders.ts';

const shippingFaults = `http://127.0.0.1:${downstream.shipping.port}/admin/faults`;
const clearShippingFaults = async (): Promise<void> => {
  await fetch(shippingFaults, { method: 'DELETE' });
};

const compensationsOf = (d: Awaited<ReturnType<typeof diagnoseJson>>) =>
  d.timeline.runs.filter((r) => r.kind === 'compensation').map((r) => [r.step, r.outcome]);

describe('npm run diagnose', () => {
  afterEach(clearShippingFaults);

  it('when shipping-service injects errors after payment, then diagnose names CreateShipment, its 503, the injected fault and the three compensations, and --since counts it', async () => {
    await requireComponent('order-api', { kind: 'http', url: `${api}/readyz` });
    const put = await fetch(shippingFaults, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1, errorStatus: 503, pathPrefix: '/shipments' }),
    });
    expect(put.status).toBe(200);
    const { body } = await submit(order({ customerId: 'cust-dave' }));
    // CreateShipment fails all 3 attempts; lift the fault once compensation starts so that CancelShipment
    // (also under /shipments) succeeds on its retry.
    await waitForStatus(body.orderId, 'compensating');
    await clearShippingFaults();
    expect((await settle(body.orderId)).status).toBe('failed');

    const d = await diagnoseJson(body.orderId);
    expect(d.elapsedMs).toBeLessThan(5000);
    expect(d.timeline).toMatchObject({ outcome: 'compensated', failedStep: 'CreateShipment' });
    expect(d.timeline.runs.find((r) => r.step === 'CreateShipment')).toMatchObject({
      outcome: 'failed',
      attempts: 3,
      retryState: 'MAXIMUM_ATTEMPTS_REACHED',
    });
    expect(d.downstreamError).toMatchObject({
      step: 'CreateShipment',
      type: 'DownstreamUnavailable',
      service: 'shipping-service',
      status: 503,
      code: 'INJECTED_FAULT',
      injectedFault: true,
    });
    expect(d.verdict.category).toBe('injected-fault');
    expect(d.verdict.next[0]).toContain(`curl -X DELETE ${shippingFaults}`);
    expect(compensationsOf(d)).toEqual([
      ['CancelShipment', 'completed'],
      ['RefundPayment', 'completed'],
      ['ReleaseInventoryReservation', 'completed'],
    ]);
    expect(d.links.temporalUi).toBe(`http://127.0.0.1:8233/namespaces/default/workflows/${body.orderId}`);

    // The trace tells the same story from shipping-service's side: each attempt reached it and it marked
    // the 503 as injected.
    const traced = await diagnoseUntil(
      body.orderId,
      "three CreateShipment attempts in Tempo, with shipping-service's spans",
      (x) =>
        tracedAttempts(x, 'CreateShipment').length === 3 &&
        tracedAttempts(x, 'CreateShipment').every((a) => a.calls.some((c) => c.injectedFault)),
    );
    for (const attempt of tracedAttempts(traced, 'CreateShipment'))
      expect(attempt.calls).toContainEqual(
        expect.objectContaining({
          service: 'shipping-service',
          statusCode: 503,
          reachedServer: true,
          injectedFault: 'error',
        }),
      );
    expect(traced.links.traces[0]).toBe(
      `http://127.0.0.1:3200/api/traces/${traced.trace.evidence!.traceIds[0]}`,
    );

    const text = await runDiagnose(body.orderId);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe(`ORDER ${body.orderId}  COMPENSATED`);
    expect(text.stdout).toContain(
      'CreateShipment failed after 3 attempts: DownstreamUnavailable: shipping-service answered 503 INJECTED_FAULT',
    );
    expect(text.stdout).toContain('injected     YES: an /admin/faults fault (error) on shipping-service');

    const since = await runDiagnose('--since', '5m', '--json');
    expect(since.code).toBe(0);
    const summary = JSON.parse(since.stdout) as Summary;
    expect(summary.groups).toContainEqual(
      expect.objectContaining({
        outcome: 'compensated',
        step: 'CreateShipment',
        cause: 'DownstreamUnavailable',
        service: 'shipping-service',
        status: 503,
        injectedFault: true,
        latestOrderId: body.orderId,
      }),
    );
  }, 120_000);

  it('when shipping rejects the address after payment, then diagnose calls it a business decline at CreateShipment with the 422 and nothing injected', async () => {
    const { body } = await submit(
      order({ customerId: 'cust-bob', shippingAddress: { ...address, line1: '1 Undeliverable Road' } }),
    );
    expect((await settle(body.orderId)).status).toBe('failed');
    const d = await diagnoseUntil(
      body.orderId,
      'the CreateShipment attempt in Tempo',
      (x) => tracedAttempts(x, 'CreateShipment').length === 1,
    );
    expect(d.verdict.category).toBe('business-decline');
    expect(d.downstreamError).toMatchObject({
      step: 'CreateShipment',
      type: 'UndeliverableAddress',
      service: 'shipping-service',
      status: 422,
      code: 'UNDELIVERABLE_ADDRESS',
      injectedFault: false,
      reachedServer: true,
    });
    expect(d.network.onPath).toEqual([
      expect.objectContaining({ name: 'shipping-service', evidence: 'trace', enabled: true, toxics: [] }),
    ]);
    expect(compensationsOf(d).map(([, outcome]) => outcome)).toEqual(['completed', 'completed', 'completed']);
  }, 90_000);

  it('when the order id is unknown, then diagnose exits 2 with ORDER_NOT_FOUND and no stack trace', async () => {
    const json = await runDiagnose('ord_00000000000000000000000000', '--json');
    expect(json.code).toBe(2);
    const { error } = JSON.parse(json.stdout) as { error: { code: string; message: string } };
    expect(error.code).toBe('ORDER_NOT_FOUND');
    expect(error.message).toContain('no order ord_00000000000000000000000000');
    const text = await runDiagnose('ord_00000000000000000000000000');
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(
      /^diagnose: no order ord_0+ in Temporal namespace default .*\[ORDER_NOT_FOUND\]\n$/,
    );
  });
});
