// The trace-shape contract (observability/tracing/README.md): after an order, one TraceQL query on its id
// finds one trace holding every process it touched, in the documented parent/child structure, with
// `order.id` on every span and nothing a card thief or a stalker could use.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, requireComponent, uniqueId, urls } from '../support/stack.ts';
import { address, api, order, settle, submit, waitForStatus, postReview } from '../support/orders.ts';
import { findOrderTrace, type Span } from '../../tools/diagnose/tempo.ts';
import { consumers } from '../../consumers/registry.ts';
import { statePaths } from '../../platform/paths.ts';
import { ADR_STEPS } from '../../contracts/order/types.ts';

const CONSUMER_SERVICES = Object.values(consumers).map((c) => c.name);
/** Loyalty has nothing to do with a failed order: it subscribes to orders.completed only. */
const FAILED_EVENT_CONSUMERS = Object.values(consumers)
  .filter((c) => c.subscribes.includes('failed'))
  .map((c) => c.name);

/**
 * The order's spans once `ready` holds for them and no new span has arrived for longer than the SDK's batch
 * delay (5 s): ~20 processes export in their own batches, so "the consumers are there" does not mean "the
 * shipping server span is there".
 */
async function orderSpans(orderId: string, ready: (spans: readonly Span[]) => boolean): Promise<Span[]> {
  const window = { start: new Date(Date.now() - 10 * 60_000), end: new Date(Date.now() + 60_000) };
  const QUIET_MS = 6000;
  let seen = { count: -1, since: Date.now() };
  return eventually(
    async () => {
      const found = await findOrderTrace({ tempo: urls.tempo } as never, orderId, window);
      if (found.status !== 'found') return undefined;
      if (found.spans.length !== seen.count) seen = { count: found.spans.length, since: Date.now() };
      return ready(found.spans) && Date.now() - seen.since >= QUIET_MS ? [...found.spans] : undefined;
    },
    45_000,
    `the trace of ${orderId} in Tempo`,
  );
}

const byName = (spans: readonly Span[], service: string, name: string): Span[] =>
  spans.filter((s) => s.service === service && s.name === name);

function parentOf(spans: readonly Span[], span: Span): Span | undefined {
  return spans.find((s) => s.spanId === span.parentSpanId);
}

// Each test waits for its trace to be complete and quiet (see orderSpans): more than the default 60 s may pass.
describe('one trace per order', { timeout: 120_000 }, () => {
  it('when an order completes, then one trace holds the request, the workflow, every step, every downstream service, the produce and all four consumers', async () => {
    await requireComponent('order-api', { kind: 'http', url: `${api}/readyz` });
    await requireComponent('tempo', { kind: 'http', url: `${urls.tempo}/ready` });
    const { body } = await submit(order());
    expect(body.traceId, 'POST /orders answers with the trace id').toMatch(/^[0-9a-f]{32}$/);
    expect((await settle(body.orderId)).status).toBe('completed');

    const touched = [
      'order-api',
      'order-worker',
      'fraud-worker',
      'payment-worker',
      'customer-service',
      'inventory-service',
      'pricing-service',
      'tax-service',
      'fraud-service',
      'payment-gateway',
      'shipping-service',
      'notification-service',
      ...CONSUMER_SERVICES,
    ].sort();
    // Every process the order touched (each exports in its own batches: wait for the last one).
    const spans = await orderSpans(
      body.orderId,
      (all) =>
        touched.every((svc) => all.some((s) => s.service === svc)) &&
        CONSUMER_SERVICES.every((svc) => all.some((s) => s.service === svc && s.name.startsWith('handle '))),
    );
    const foreign = spans.filter((s) => s.traceId !== body.traceId);
    expect(
      foreign.map((s) => `${s.traceId} ${s.service} ${s.name}`),
      'spans of this order in other traces',
    ).toEqual([]);
    expect([...new Set(spans.map((s) => s.service))].sort()).toEqual(touched);

    // One root, the HTTP request; every other span's parent is in the trace.
    const roots = spans.filter((s) => !s.parentSpanId);
    expect(roots.map((s) => [s.service, s.kind, s.name])).toEqual([['order-api', 'server', 'POST /orders']]);
    expect(spans.filter((s) => s.parentSpanId && !parentOf(spans, s)).map((s) => s.name)).toEqual([]);
    expect(spans.filter((s) => s.attributes['order.id'] !== body.orderId).map((s) => s.name)).toEqual([]);

    const start = byName(spans, 'order-api', 'StartWorkflow:ProcessOrderWorkflow')[0]!;
    const run = byName(spans, 'order-worker', 'RunWorkflow:ProcessOrderWorkflow')[0]!;
    expect(parentOf(spans, start)?.name).toBe('POST /orders');
    expect(run.parentSpanId).toBe(start.spanId);

    // Each ADR step: StartActivity in the workflow, RunActivity on the worker that owns its task queue,
    // and (except FinalizeOrder's own publish) an HTTP client span answered by a downstream server span.
    const workerOf: Record<string, string> = {
      RunFraudCheck: 'fraud-worker',
      ProcessPayment: 'payment-worker',
    };
    for (const step of ADR_STEPS) {
      const scheduled = spans.find(
        (s) => s.name.startsWith('StartActivity:') && s.attributes['orderflow.step'] === step,
      );
      const ran = spans.find(
        (s) => s.name.startsWith('RunActivity:') && s.attributes['orderflow.step'] === step,
      );
      expect(scheduled?.service, `StartActivity ${step}`).toBe('order-worker');
      expect(ran?.service, `RunActivity ${step}`).toBe(workerOf[step] ?? 'order-worker');
      expect(ran!.parentSpanId, `${step} runs under its StartActivity`).toBe(scheduled!.spanId);
      expect(scheduled!.parentSpanId, `${step} is scheduled by the workflow`).toBe(run.spanId);
    }
    const servers = spans.filter((s) => s.kind === 'server' && s.service !== 'order-api');
    expect(servers.length).toBeGreaterThanOrEqual(ADR_STEPS.length);
    for (const server of servers) {
      const client = parentOf(spans, server);
      expect(client?.kind, `${server.service} ${server.name} answers a client span`).toBe('client');
      expect(client?.attributes['server.port'], 'through the Toxiproxy listener').toBeGreaterThan(10_000);
    }

    // Kafka: the produce under FinalizeOrder; each consumer's process span is its child (not a link).
    const send = byName(spans, 'order-worker', 'send orders.completed');
    expect(send).toHaveLength(1);
    expect(send[0]!.kind).toBe('producer');
    for (const consumer of CONSUMER_SERVICES) {
      const process = byName(spans, consumer, 'process orders.completed');
      expect(
        process.map((s) => s.kind),
        consumer,
      ).toEqual(['consumer']);
      expect(process[0]!.parentSpanId, `${consumer} continues the produce span`).toBe(send[0]!.spanId);
      expect(byName(spans, consumer, 'handle OrderCompleted')[0]?.parentSpanId).toBe(process[0]!.spanId);
    }
  });

  it('when an order completes, then its trace id is an exemplar of the workflow, activity and HTTP duration histograms in Prometheus', async () => {
    await requireComponent('prometheus', { kind: 'http', url: `${urls.prometheus}/-/ready` });
    const { body } = await submit(order());
    expect((await settle(body.orderId)).status).toBe('completed');
    const since = Math.floor(Date.now() / 1000) - 300;
    for (const metric of [
      'order_workflow_duration_seconds_bucket',
      'activity_duration_seconds_bucket',
      'http_server_request_duration_seconds_bucket',
    ]) {
      await eventually(
        async () => {
          const url = `${urls.prometheus}/api/v1/query_exemplars?query=${metric}&start=${since}&end=${since + 400}`;
          const { data } = (await (await fetch(url)).json()) as {
            data: { exemplars: { labels: { trace_id?: string } }[] }[];
          };
          return data.some((series) => series.exemplars.some((e) => e.labels.trace_id === body.traceId))
            ? true
            : undefined;
        },
        30_000,
        `an exemplar of ${metric} with trace_id ${body.traceId}`,
      );
    }
  });

  it("when a reviewer decides on a flagged order, then the decision and the workflow's update handling join the order's trace", async () => {
    const { body } = await submit(order({ items: [{ sku: 'sku-widget', quantity: 120 }] }));
    await waitForStatus(body.orderId, 'awaiting_review');
    const res = await postReview(body.orderId, { decision: 'approve', reviewer: 'risk-analyst@orderflow' });
    expect(res.status).toBe(200);
    expect((await settle(body.orderId)).status).toBe('completed');
    // Each process exports in its own batches: wait for every span the assertions read.
    const spans = await orderSpans(
      body.orderId,
      (all) =>
        all.some((s) => s.service === 'order-worker' && s.name === 'send orders.completed') &&
        all.some((s) => s.service === 'order-api' && s.name === 'review order: approve') &&
        all.some((s) => s.service === 'order-worker' && /Update:reviewDecision$/.test(s.name)),
    );
    expect(new Set(spans.map((s) => s.traceId)), 'one trace').toEqual(new Set([body.traceId]));
    const review = spans.find((s) => s.service === 'order-api' && s.name === 'review order: approve');
    expect(review, 'the review span in the order trace').toBeDefined();
    expect(parentOf(spans, review!)?.name).toBe('StartWorkflow:ProcessOrderWorkflow');
    const handled = spans.filter(
      (s) => s.service === 'order-worker' && /Update:reviewDecision$/.test(s.name),
    );
    expect(handled.length, 'the workflow handled the update in the same trace').toBeGreaterThan(0);
  });

  it('when an order is compensated, then the failing step is an error span and each compensation has its spans', async () => {
    await requireComponent('tempo', { kind: 'http', url: `${urls.tempo}/ready` });
    const { body } = await submit(
      order({ customerId: 'cust-bob', shippingAddress: { ...address, line1: '1 Undeliverable Road' } }),
    );
    expect((await settle(body.orderId)).status).toBe('failed');
    const compensations = ['CancelShipment', 'RefundPayment', 'ReleaseInventoryReservation'];
    const spans = await orderSpans(
      body.orderId,
      (all) =>
        compensations.every((c) => all.some((s) => s.attributes['orderflow.step'] === c)) &&
        all.some((s) => s.service === 'shipping-service' && s.kind === 'server') &&
        FAILED_EVENT_CONSUMERS.every((svc) =>
          all.some((s) => s.service === svc && s.name === 'process orders.failed'),
        ),
    );
    const failed = spans.filter(
      (s) => s.name.startsWith('RunActivity:') && s.attributes['orderflow.step'] === 'CreateShipment',
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(
      failed.every((s) => s.error),
      'CreateShipment ends in error',
    ).toBe(true);
    const shippingServer = spans.find((s) => s.service === 'shipping-service' && s.kind === 'server');
    expect(shippingServer?.attributes['http.response.status_code']).toBe(422);
    for (const step of compensations) {
      const ran = spans.filter(
        (s) => s.name.startsWith('RunActivity:') && s.attributes['orderflow.step'] === step,
      );
      expect(ran.length, `${step} ran`).toBeGreaterThan(0);
      expect(
        ran.some((s) => !s.error),
        `${step} succeeded`,
      ).toBe(true);
    }
    expect(byName(spans, 'order-worker', 'send orders.failed')).toHaveLength(1);
  });

  it('when an order is traced and logged, then no span or log line holds its card data or its address', async () => {
    // A street nobody else uses, so any occurrence anywhere is this order's address leaking. Shipping
    // rejects it (`undeliverable`), so the order also leaves warnings in the workers' logs.
    const street = `${uniqueId('street')} Undeliverable Lane`;
    const { body } = await submit(
      order({ shippingAddress: { ...address, line1: street }, paymentMethod: 'pm_card_visa' }),
    );
    expect((await settle(body.orderId)).status).toBe('failed');
    const spans = await orderSpans(body.orderId, (all) =>
      FAILED_EVENT_CONSUMERS.every((svc) => all.some((s) => s.service === svc)),
    );
    const secrets = [street, 'pm_card_visa', '4242424242424242'];
    const inSpans = spans.flatMap((s) =>
      Object.entries(s.attributes)
        .filter(([, v]) => secrets.some((secret) => String(v).includes(secret)))
        .map(([k]) => `${s.service} ${s.name} ${k}`),
    );
    expect(inSpans).toEqual([]);

    const logs = readdirSync(statePaths.logs)
      .filter((f) => f.endsWith('.log'))
      .map((f) => ({ file: f, text: readFileSync(join(statePaths.logs, f), 'utf8') }));
    expect(logs.filter((l) => secrets.some((secret) => l.text.includes(secret))).map((l) => l.file)).toEqual(
      [],
    );
    // The logs do know the order: a JSON line with its trace id leads from the log to the trace.
    const lines = logs.flatMap((l) => l.text.split('\n').filter((line) => line.includes(body.traceId!)));
    expect(lines.length, 'log lines carrying the order trace id').toBeGreaterThan(0);
    const line = JSON.parse(lines[0]!) as { trace_id?: string; span_id?: string };
    expect(line.trace_id).toBe(body.traceId);
    expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
  });
});
