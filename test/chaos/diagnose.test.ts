// `npm run diagnose` on an order failed by the network: a Toxiproxy toxic on the shipping-service proxy
// resets every connection, CreateShipment fails its three attempts and the saga compensates. The toxic
// poisons a proxy every process uses, so this runs in the chaos phase, alone; it is always removed.
import { afterEach, describe, expect, it } from 'vitest';
import { Toxiproxy } from 'toxiproxy-node-client';
import { downstream } from '../../platform/downstream.ts';
import { diagnoseJson, diagnoseUntil, runDiagnose, tracedAttempts } from '../support/diagnose.ts';
import { urls } from '../support/stack.ts';
import { order, settle, submit, waitForStatus } from '../support/orders.ts';

describe('diagnose under a Toxiproxy toxic', () => {
  const toxiproxy = new Toxiproxy(urls.toxiproxy);
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
  });

  it('when a reset_peer toxic on the shipping proxy fails CreateShipment, then diagnose names the step and the active toxic; afterwards the trace shows the calls never reached shipping-service', async () => {
    const proxy = await toxiproxy.get(downstream.shipping.name);
    const toxic = await proxy.addToxic({
      name: 'diagnose_reset_shipping',
      type: 'reset_peer',
      stream: 'upstream',
      toxicity: 1,
      attributes: { timeout: 0 },
    });
    cleanups.push(() => toxic.remove());
    const { body } = await submit(order({ customerId: 'cust-carol' }));
    // CreateShipment has failed its 3 attempts; CancelShipment now retries against the same toxic.
    await waitForStatus(body.orderId, 'compensating');

    const during = await diagnoseJson(body.orderId);
    expect(during.elapsedMs).toBeLessThan(5000);
    expect(during.timeline.failedStep).toBe('CreateShipment');
    expect(during.timeline.runs.find((r) => r.step === 'CreateShipment')).toMatchObject({
      outcome: 'failed',
      attempts: 3,
    });
    expect(during.downstreamError).toMatchObject({
      step: 'CreateShipment',
      type: 'DownstreamUnavailable',
      service: 'shipping-service',
      injectedFault: false,
    });
    expect(during.verdict.category).toBe('network-fault');
    expect(during.network.onPath).toContainEqual(
      expect.objectContaining({
        name: 'shipping-service',
        toxics: [expect.objectContaining({ name: 'diagnose_reset_shipping', type: 'reset_peer' })],
      }),
    );
    const text = await runDiagnose(body.orderId);
    expect(text.stdout).toContain(
      'toxic diagnose_reset_shipping (reset_peer, upstream, toxicity 1, timeout=0) on proxy shipping-service (127.0.0.1:18106 -> 127.0.0.1:8106) is ACTIVE now',
    );
    expect(text.stdout).toContain(
      'curl -X DELETE http://127.0.0.1:8474/proxies/shipping-service/toxics/diagnose_reset_shipping',
    );

    await toxic.remove();
    expect((await settle(body.orderId, 60_000)).status).toBe('failed');
    // After the fact the toxic is gone, but the trace keeps the evidence: three attempts through the
    // proxy's listener, none answered by shipping-service.
    const after = await diagnoseUntil(
      body.orderId,
      'three CreateShipment attempts in Tempo, settled',
      (x) => tracedAttempts(x, 'CreateShipment').length === 3 && !x.trace.settling,
    );
    expect(after.timeline.outcome).toBe('compensated');
    for (const attempt of tracedAttempts(after, 'CreateShipment'))
      expect(attempt.calls).toEqual([
        expect.objectContaining({
          service: 'shipping-service',
          serverPort: downstream.shipping.proxyPort,
          reachedServer: false,
          error: true,
        }),
      ]);
    expect(after.downstreamError?.reachedServer).toBe(false);
    expect(after.network.onPath).toEqual([
      expect.objectContaining({ name: 'shipping-service', evidence: 'trace', toxics: [] }),
    ]);
  }, 120_000);
});
