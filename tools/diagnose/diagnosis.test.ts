import { describe, expect, it } from 'vitest';
import { assembleDiagnosis } from './diagnosis.ts';
import { renderDiagnosis } from './render-text.ts';
import type { Span } from './tempo.ts';
import { localEndpoints, recordedTimeline } from '../../test/support/diagnose.ts';
import type { ProxiesLookup, ProxyState, Toxic } from './toxiproxy.ts';

const proxy = (name: string, port: number, toxics: Toxic[] = [], enabled = true): ProxyState => ({
  name,
  listen: `127.0.0.1:${port + 10_000}`,
  upstream: `127.0.0.1:${port}`,
  enabled,
  toxics,
});
const resetPeer: Toxic = {
  name: 'reset_shipping',
  type: 'reset_peer',
  stream: 'upstream',
  toxicity: 1,
  attributes: { timeout: 0 },
};
const proxies = (...list: ProxyState[]): ProxiesLookup => ({ status: 'ok', proxies: list });
const notFound = { status: 'not_found', reason: 'no span yet' } as const;

const t0 = Date.parse(recordedTimeline('shipment-retries-exhausted').startedAt);
const span = (id: string, parent: string | undefined, name: string, over: Partial<Span>): Span => ({
  traceId: 'a'.repeat(32),
  spanId: id,
  ...(parent ? { parentSpanId: parent } : {}),
  name,
  kind: 'internal',
  service: 'order-worker',
  startMs: t0,
  durationMs: 5,
  error: false,
  attributes: {},
  ...over,
});

const diagnose = (history: string, lookups: { proxies: ProxiesLookup; spans?: Span[] }) =>
  assembleDiagnosis({
    timeline: recordedTimeline(history),
    pending: [],
    trace: lookups.spans ? { status: 'found', traceIds: ['a'.repeat(32)], spans: lookups.spans } : notFound,
    proxies: lookups.proxies,
    endpoints: localEndpoints,
    now: new Date('2026-11-25T03:00:00Z'),
    tookMs: 42,
  });

describe('diagnosis of one order', () => {
  it('when shipping declines after payment, then it is a business decline at CreateShipment, compensated, with the shipping proxy checked', () => {
    const d = diagnose('declined-createShipment', { proxies: proxies(proxy('shipping-service', 8106)) });
    expect(d.verdict.category).toBe('business-decline');
    expect(d.verdict.headline).toMatch(/^CreateShipment failed: TestDecline: createShipment declined/);
    expect(d.verdict.headline).toContain(
      'compensated: CancelShipment, RefundPayment, ReleaseInventoryReservation completed',
    );
    expect(d.downstreamError).toMatchObject({
      step: 'CreateShipment',
      type: 'TestDecline',
      injectedFault: false,
    });
    // The recorded failure names a fake service, so the proxy is the one the step calls.
    expect(d.network.onPath).toEqual([
      expect.objectContaining({ name: 'shipping-service', evidence: 'step' }),
    ]);
    expect(d.trace.status).toBe('not_found');
    // The recording's workflow id is the order id (re-recording changes its suffix).
    expect(d.orderId).toMatch(/^ord-test-declined-createShipment-/);
    expect(d.links.temporalUi).toBe(`http://127.0.0.1:8233/namespaces/default/workflows/${d.orderId}`);
  });

  it('when shipping failed transiently and a toxic is on its proxy now, then it is a network fault and the fix names the toxic', () => {
    const d = diagnose('shipment-retries-exhausted', {
      proxies: proxies(proxy('payment-gateway', 8108), proxy('shipping-service', 8106, [resetPeer])),
    });
    expect(d.verdict.category).toBe('network-fault');
    expect(d.verdict.headline).toMatch(/^CreateShipment failed after 3 attempts: DownstreamUnavailable/);
    expect(d.verdict.next).toEqual([
      expect.stringContaining(
        'curl -X DELETE http://127.0.0.1:8474/proxies/shipping-service/toxics/reset_shipping',
      ),
    ]);
    expect(d.network.elsewhere).toEqual([]);
  });

  it('when Toxiproxy does not answer, then the diagnosis still stands on the history and says the network was not checked', () => {
    const d = diagnose('shipment-retries-exhausted', {
      proxies: { status: 'unavailable', reason: 'Toxiproxy at http://127.0.0.1:8474: connect ECONNREFUSED' },
    });
    expect(d.verdict.category).toBe('downstream-unavailable');
    expect(d.network).toMatchObject({ status: 'unavailable', onPath: [] });
    expect(d.timeline.failedStep).toBe('CreateShipment');
  });

  it('when a refund failed, then the verdict says a human must finish the compensation', () => {
    const d = diagnose('refund-fails', { proxies: proxies() });
    expect(d.verdict.failedCompensations).toEqual(['RefundPayment']);
    expect(d.verdict.headline).toContain('compensation FAILED: RefundPayment');
    expect(d.verdict.next[0]).toMatch(/RefundPayment did not complete/);
  });

  it('when the trace shows the shipping service injected the fault, then it is a drill, not an outage', () => {
    const spans = [
      span('1', undefined, 'RunActivity:createShipment', { error: true }),
      span('2', '1', 'POST', {
        kind: 'client',
        error: true,
        attributes: { 'server.port': 18106, 'http.response.status_code': 503 },
      }),
      span('3', '2', 'POST /shipments', {
        kind: 'server',
        service: 'shipping-service',
        error: true,
        attributes: { 'orderflow.fault.injected': true, 'orderflow.fault.kind': 'error' },
      }),
    ];
    const d = diagnose('shipment-retries-exhausted', {
      proxies: proxies(proxy('shipping-service', 8106)),
      spans,
    });
    expect(d.verdict.category).toBe('injected-fault');
    expect(d.downstreamError).toMatchObject({
      status: 503,
      injectedFault: true,
      injectedFaultKind: 'error',
      reachedServer: true,
    });
    expect(d.network.onPath).toEqual([
      expect.objectContaining({ name: 'shipping-service', evidence: 'trace' }),
    ]);
    expect(d.verdict.next[0]).toContain('curl -X DELETE http://127.0.0.1:8106/admin/faults');
  });

  it('when shipping-service answered but the answer never came back, then the trace says so and the next step points at the path', () => {
    const spans = [
      span('1', undefined, 'RunActivity:createShipment', { error: true }),
      span('2', '1', 'POST', {
        kind: 'client',
        error: true,
        attributes: {
          'server.port': 18106,
          'url.full': 'http://127.0.0.1:18106/shipments',
          'error.type': 'AbortError',
        },
      }),
      span('3', '2', 'POST /shipments', {
        kind: 'server',
        service: 'shipping-service',
        attributes: { 'http.response.status_code': 201 },
      }),
    ];
    const d = diagnose('shipment-retries-exhausted', {
      proxies: proxies(proxy('shipping-service', 8106)),
      spans,
    });
    expect(d.downstreamError?.reachedServer).toBe(true);
    expect(d.verdict.next[0]).toContain('it answered, but the answer never came back');
    expect(renderDiagnosis(d)).toContain(
      '127.0.0.1:18106/shipments -> no answer (AbortError) although shipping-service answered HTTP 201: lost on the way back',
    );
  });
});
