import { describe, expect, it } from 'vitest';
import { assembleDiagnosis } from './diagnosis.ts';
import { renderJson } from './render-json.ts';
import { renderSummary } from './render-summary.ts';
import { duration, renderDiagnosis } from './render-text.ts';
import { assembleSummary, type SummaryInput } from './summary.ts';
import { localEndpoints, recordedTimeline } from '../../test/support/diagnose.ts';
import type { ProxiesLookup } from './toxiproxy.ts';

const shipping = {
  name: 'shipping-service',
  listen: '127.0.0.1:18106',
  upstream: '127.0.0.1:8106',
  enabled: true,
};
const latency = {
  name: 'latency_downstream',
  type: 'latency',
  stream: 'downstream',
  toxicity: 1,
  attributes: { latency: 20000, jitter: 0 },
};
const withToxic: ProxiesLookup = { status: 'ok', proxies: [{ ...shipping, toxics: [latency] }] };
const clean: ProxiesLookup = { status: 'ok', proxies: [{ ...shipping, toxics: [] }] };

const diagnosis = (history: string, proxies: ProxiesLookup) =>
  assembleDiagnosis({
    timeline: recordedTimeline(history),
    pending: [],
    trace: { status: 'not_found', reason: 'no span with order.id yet' },
    proxies,
    endpoints: localEndpoints,
    now: new Date('2026-11-25T03:00:00Z'),
    tookMs: 180,
  });

describe('text renderer', () => {
  it('when an order was compensated, then the answer comes first, then the failing step, the timeline with its compensations and the links', () => {
    const d = diagnosis('declined-createShipment', clean);
    const text = renderDiagnosis(d);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`ORDER ${d.orderId}  COMPENSATED`);
    expect(lines[1]).toMatch(/^ {2}CreateShipment failed: TestDecline: createShipment declined/);
    expect(text).toContain('  step         CreateShipment\n');
    expect(text).toContain('  error        TestDecline (non-retryable)\n');
    expect(text).toMatch(
      /network +proxy shipping-service \(127\.0\.0\.1:18106 -> 127\.0\.0\.1:8106\): no toxics now/,
    );
    const timeline = lines.slice(lines.findIndex((l) => l.startsWith('TIMELINE')));
    expect(timeline[0]).toMatch(/^TIMELINE \(UTC \d{4}-\d\d-\d\d\) +attempts {2}took {7}result$/);
    const order = [
      'CreateShipment',
      '-- compensations',
      'CancelShipment',
      'RefundPayment',
      'ReleaseInventoryReservation',
    ];
    const at = order.map((s) => timeline.findIndex((l) => l.includes(s)));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(timeline.find((l) => l.includes('CreateShipment'))).toMatch(/ 1 {2}\d+ ms +FAILED TestDecline$/);
    expect(timeline.find((l) => l.includes('CancelShipment'))).toMatch(/ok: shipment cancelled$/);
    expect(text).toContain('trace not found in Tempo (yet): no span with order.id yet');
    expect(text).toContain(`Temporal UI  http://127.0.0.1:8233/namespaces/default/workflows/${d.orderId}`);
    expect(text).toContain('Tempo search http://127.0.0.1:3200/api/search?q=');
    expect(text.trimEnd().split('\n').at(-1)).toBe('diagnosed in 180 ms');
  });

  it('when a toxic is on the failing step path, then the network line says which toxic on which proxy is active now', () => {
    const text = renderDiagnosis(diagnosis('shipment-retries-exhausted', withToxic));
    expect(text).toContain(
      'toxic latency_downstream (latency, downstream, toxicity 1, latency=20000, jitter=0) on proxy shipping-service (127.0.0.1:18106 -> 127.0.0.1:8106) is ACTIVE now',
    );
    expect(text).toMatch(/CreateShipment +3 {2}\d\.\d s +FAILED DownstreamUnavailable/);
    expect(text).toContain('attempt 2 failed: DownstreamUnavailable: createShipment unavailable');
    expect(text).toContain(
      'curl -X DELETE http://127.0.0.1:8474/proxies/shipping-service/toxics/latency_downstream',
    );
  });

  it('when durations are printed, then they read as ms, s, minutes or hours', () => {
    expect([duration(42.4), duration(1500), duration(125_000), duration(7_380_000)]).toEqual([
      '42 ms',
      '1.5 s',
      '2 m 05 s',
      '2 h 03 m',
    ]);
  });
});

describe('JSON renderer', () => {
  it('when rendered as JSON, then it is the same model the text shows, versioned', () => {
    const d = diagnosis('declined-createShipment', clean);
    const parsed = JSON.parse(renderJson(d)) as typeof d;
    expect(parsed).toEqual(d);
    expect(parsed).toMatchObject({
      schemaVersion: 1,
      verdict: { category: 'business-decline' },
      timeline: { outcome: 'compensated', failedStep: 'CreateShipment' },
      trace: { status: 'not_found' },
    });
  });
});

/** The last failure of a step while shipping-service answers 503 (an /admin/faults fault). */
const shipping503 = {
  type: 'DownstreamUnavailable',
  message: 'shipping-service answered 503 INJECTED_FAULT: fault injected by /admin/faults (rate 1)',
  nonRetryable: false,
  service: 'shipping-service',
  status: 503,
  injectedFault: true,
};

/** A summary of the last minute with nothing ended, Toxiproxy answering: what the live-order cases vary. */
const liveSummary = (input: Pick<SummaryInput, 'retrying'>) =>
  assembleSummary({
    timelines: [],
    unreadable: [],
    truncated: false,
    proxies: withToxic,
    endpoints: localEndpoints,
    since: new Date('2026-11-25T02:45:00Z'),
    window: '1m',
    now: new Date('2026-11-25T02:46:00Z'),
    tookMs: 100,
    ...input,
  });

describe('--since summary', () => {
  it('when orders ended badly, then they are grouped by outcome, step and cause, largest first, with the newest example', () => {
    const timelines = [
      'declined-createShipment',
      'shipment-declined-once',
      'shipment-retries-exhausted',
      'declined-validateOrder',
      'happy-path',
    ].map(recordedTimeline);
    const s = assembleSummary({
      timelines: timelines.filter((t) => t.outcome !== 'completed'),
      unreadable: [],
      truncated: false,
      counts: { completed: 1, running: 0 },
      proxies: withToxic,
      endpoints: localEndpoints,
      since: new Date('2026-11-25T02:45:00Z'),
      window: '15m',
      now: new Date('2026-11-25T03:00:00Z'),
      tookMs: 300,
    });
    expect(s.groups.map((g) => [g.count, g.outcome, g.step, g.cause])).toEqual([
      [2, 'compensated', 'CreateShipment', 'TestDecline'],
      [1, 'compensated', 'CreateShipment', 'DownstreamUnavailable'],
      [1, 'failed', 'ValidateOrder', 'TestDecline'],
    ]);
    const newestDecline = [timelines[0]!, timelines[1]!].sort((a, b) =>
      b.closedAt!.localeCompare(a.closedAt!),
    )[0]!;
    expect(s.groups[0]!.latestOrderId).toBe(newestDecline.orderId);

    const text = renderSummary(s);
    expect(text.split('\n')[0]).toBe(
      'ORDERS THAT ENDED BADLY in the last 15m (since 2026-11-25 02:45:00.000Z): 4 (1 completed in the same window, 0 running now)',
    );
    expect(text).toMatch(/ {4}2 {2}compensated +CreateShipment +TestDecline +business-decline +fake\n/);
    // The toxic is on the proxy of the transient failure only: it cannot explain a decline.
    expect(text).toMatch(
      / {4}1 {2}compensated +CreateShipment +DownstreamUnavailable +network-fault +fake, toxics on proxy shipping-service NOW\n/,
    );
    expect(text).toContain(
      'toxic latency_downstream (latency, downstream, toxicity 1, latency=20000, jitter=0) on proxy shipping-service is ACTIVE now',
    );
    expect(text).toContain(`npm run diagnose -- ${newestDecline.orderId}`);
  });

  it('when orders are retrying a failed step, then they are a group of their own before any order has ended', () => {
    const s = liveSummary({
      retrying: [
        { orderId: 'ord_a', pending: { step: 'CreateShipment', attempt: 3, lastFailure: shipping503 } },
        { orderId: 'ord_b', pending: { step: 'CreateShipment', attempt: 5, lastFailure: shipping503 } },
      ],
    });
    expect(s.retrying).toBe(2);
    expect(s.groups).toEqual([
      expect.objectContaining({
        outcome: 'running',
        step: 'CreateShipment',
        cause: 'DownstreamUnavailable',
        service: 'shipping-service',
        status: 503,
        injectedFault: true,
        count: 2,
        attempts: 5,
        latestOrderId: 'ord_b',
      }),
    ]);
    const text = renderSummary(s);
    expect(text).toContain('ORDERS RETRYING A FAILED STEP NOW: 2');
    expect(text).toMatch(/ {4}2 {2}retrying \(try 5\) +CreateShipment +DownstreamUnavailable /);
    expect(text).not.toContain('none: every order');
  });

  it('when orders retry a compensation, then they are grouped under the step that failed, the compensation named beside it', () => {
    const s = liveSummary({
      retrying: [
        {
          orderId: 'ord_c',
          pending: { step: 'CancelShipment', attempt: 4, lastFailure: shipping503 },
          failed: { step: 'CreateShipment', cause: shipping503 },
        },
      ],
    });
    expect(s.groups).toEqual([
      expect.objectContaining({
        outcome: 'running',
        step: 'CreateShipment',
        retryingStep: 'CancelShipment',
        service: 'shipping-service',
        attempts: 4,
      }),
    ]);
    const text = renderSummary(s);
    expect(text).toMatch(/ {4}1 {2}compensating \(try 4\) +CreateShipment +DownstreamUnavailable /);
    expect(text).toContain('stuck retrying the compensation CancelShipment');
  });

  it('when no order ended badly and none is retrying, then the summary says so', () => {
    const s = liveSummary({ retrying: [] });
    expect(s.groups).toEqual([]);
    expect(renderSummary(s)).toContain('none: every order in the window completed or is still running');
  });
});
