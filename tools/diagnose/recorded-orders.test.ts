// Diagnosis of orders recorded on the real stack (history from Temporal, trace from Tempo): the two
// failures an on-call engineer must tell apart, a network toxic and a drill.
import { describe, expect, it } from 'vitest';
import { assembleDiagnosis } from './diagnosis.ts';
import { renderDiagnosis } from './render-text.ts';
import { flattenOtlp } from './tempo.ts';
import { localEndpoints, recordedOrder } from '../../test/support/diagnose.ts';
import { evidenceFor, traceEvidence } from './trace-evidence.ts';
import type { ProxiesLookup, ProxyState } from './toxiproxy.ts';

const shippingProxy: ProxyState = {
  name: 'shipping-service',
  listen: '127.0.0.1:18106',
  upstream: '127.0.0.1:8106',
  enabled: true,
  toxics: [],
};
const resetToxic = {
  name: 'diagnose_reset_shipping',
  type: 'reset_peer',
  stream: 'upstream',
  toxicity: 1,
  attributes: { timeout: 0 },
};

function diagnose(name: Parameters<typeof recordedOrder>[0], proxies: ProxiesLookup, secondsAfterEnd = 600) {
  const { timeline, trace } = recordedOrder(name);
  const spans = flattenOtlp(trace);
  return assembleDiagnosis({
    timeline,
    pending: [],
    trace: { status: 'found', traceIds: [...new Set(spans.map((s) => s.traceId))], spans },
    proxies,
    endpoints: localEndpoints,
    now: new Date(Date.parse(timeline.closedAt!) + secondsAfterEnd * 1000),
    tookMs: 250,
  });
}

describe('Tempo trace reading', () => {
  it('when a trace comes back from Tempo, then ids are hex, parents link up and the services are the tracing contract names', () => {
    const spans = flattenOtlp(recordedOrder('toxic-reset-shipping').trace);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(spans.every((s) => /^[0-9a-f]{16}$/.test(s.spanId))).toBe(true);
    const ids = new Set(spans.map((s) => s.spanId));
    expect(spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId))).toEqual([]);
    expect(spans.find((s) => s.name === 'POST /orders')).toMatchObject({
      kind: 'server',
      service: 'order-api',
    });
    expect([...new Set(spans.map((s) => s.service))]).toEqual(
      expect.arrayContaining(['order-api', 'order-worker', 'payment-worker', 'shipping-service']),
    );
  });

  it('when a toxic reset the shipping connections, then the trace shows 3 CreateShipment attempts through the proxy that never reached shipping-service', () => {
    const spans = flattenOtlp(recordedOrder('toxic-reset-shipping').trace);
    const evidence = traceEvidence([spans[0]!.traceId], spans);
    const attempts = evidenceFor(evidence, 'CreateShipment')!.attempts;
    expect(attempts.map((a) => a.error)).toEqual([true, true, true]);
    for (const a of attempts)
      expect(a.calls).toEqual([
        expect.objectContaining({
          service: 'shipping-service',
          serverPort: 18106,
          reachedServer: false,
          error: true,
        }),
      ]);
    expect(evidence.injectedFaults).toEqual([]);
  });
});

describe('diagnosis of recorded orders', () => {
  it('when an order was failed by a Toxiproxy toxic that is still active, then diagnose names CreateShipment, the unreachable shipping-service and the toxic', () => {
    const d = diagnose('toxic-reset-shipping', {
      status: 'ok',
      proxies: [{ ...shippingProxy, toxics: [resetToxic] }],
    });
    expect(d.timeline.failedStep).toBe('CreateShipment');
    expect(d.verdict.category).toBe('network-fault');
    expect(d.downstreamError).toMatchObject({
      type: 'DownstreamUnavailable',
      service: 'shipping-service',
      reachedServer: false,
      injectedFault: false,
    });
    expect(d.network.onPath).toEqual([
      expect.objectContaining({ name: 'shipping-service', evidence: 'trace' }),
    ]);
    const text = renderDiagnosis(d);
    expect(text).toContain(
      'reached it   no: no status and no span from the service; the request died on the way (trace)',
    );
    expect(text).toContain(
      'toxic diagnose_reset_shipping (reset_peer, upstream, toxicity 1, timeout=0) on proxy shipping-service (127.0.0.1:18106 -> 127.0.0.1:8106) is ACTIVE now [the trace shows the call went through it]',
    );
    expect(text).toMatch(
      /attempt 3 +\d+ ms +error \| 127\.0\.0\.1:18106\/shipments -> no answer \(\w+\), never reached shipping-service/,
    );
  });

  it('when the order ended seconds ago, then a missing service span is not called proof yet', () => {
    const d = diagnose('toxic-reset-shipping', { status: 'ok', proxies: [shippingProxy] }, 3);
    expect(d.trace.settling).toBe(true);
    const text = renderDiagnosis(d);
    expect(text).toContain('reached it   not yet seen: no status and no span from the service so far');
    expect(text).toContain('spans may still be arriving; run again in a few seconds');
  });

  it('when the toxic is gone by the time anyone looks, then the trace still says the calls never reached the service', () => {
    const d = diagnose('toxic-reset-shipping', { status: 'ok', proxies: [shippingProxy] });
    expect(d.verdict.category).toBe('downstream-unavailable');
    expect(d.verdict.next[0]).toContain('the request never reached it: network, proxy or a dead process');
  });

  it('when shipping-service injected the 503s, then it is a drill: the failure and the server spans both say so', () => {
    const d = diagnose('injected-shipping-fault', { status: 'ok', proxies: [shippingProxy] });
    expect(d.verdict.category).toBe('injected-fault');
    expect(d.downstreamError).toMatchObject({
      status: 503,
      code: 'INJECTED_FAULT',
      injectedFault: true,
      injectedFaultKind: 'error',
      reachedServer: true,
    });
    expect(d.trace.evidence?.injectedFaults.filter((f) => f.step === 'CreateShipment')).toHaveLength(3);
    expect(renderDiagnosis(d)).toContain(
      'injected     YES: an /admin/faults fault (error) on shipping-service',
    );
  });
});
