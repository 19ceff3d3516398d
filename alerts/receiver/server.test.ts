// The stand-in over HTTP: the answers PagerDuty and Slack give, and GET /received for drills.
import { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchReceived } from './client.ts';
import { createReceiverServer } from './server.ts';
import { openNotificationLog } from './store.ts';

const log = openNotificationLog();
const lines: string[] = [];
const server = createReceiverServer(log, { logLine: (line) => lines.push(line) });
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const post = (path: string, body: unknown): Promise<Response> =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const pdTrigger = {
  routing_key: 'k',
  event_action: 'trigger',
  dedup_key: 'group-1',
  payload: {
    summary: 'OrderApiDown: no order-api',
    source: 'am',
    severity: 'critical',
    class: 'OrderApiDown',
  },
};

describe('alert-receiver HTTP', () => {
  it('when a valid PagerDuty event is posted, then it answers 202 like PagerDuty and keeps it', async () => {
    const res = await post('/pagerduty', pdTrigger);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'group-1' });
    const [kept] = await fetchReceived({ channel: 'pagerduty' }, base);
    expect(kept).toMatchObject({ alertname: 'OrderApiDown', status: 'firing', payload: pdTrigger });
  });

  it('when an invalid PagerDuty event is posted, then it answers 400 with the errors and keeps nothing', async () => {
    const res = await post('/pagerduty', { event_action: 'trigger' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      status: 'invalid event',
      errors: expect.arrayContaining([
        "'routing_key' is missing or empty",
        "'payload' is missing",
      ]) as unknown,
    });
    expect(lines.at(-1)).toContain('"msg":"rejected"');
    expect(await fetchReceived({ channel: 'pagerduty' }, base)).toHaveLength(1);
  });

  it('when Slack messages are posted, then a valid one gets 200 ok and a broken one Slack’s error text', async () => {
    const ok = await post('/slack', { attachments: [{ title: '[FIRING:1] KafkaConsumerLagHigh: behind' }] });
    expect([ok.status, await ok.text()]).toEqual([200, 'ok']);
    const broken = await post('/slack', '{not json');
    expect([broken.status, await broken.text()]).toEqual([400, 'invalid_payload']);
  });

  it('when GET /received is filtered, then only matching notifications come back, oldest first', async () => {
    const before = Date.now();
    await post('/alerts', { status: 'firing', alerts: [{}], commonLabels: { alertname: 'Other' } });
    expect((await fetchReceived({ sinceMs: before }, base)).map((n) => n.channel)).toEqual(['webhook']);
    expect((await fetchReceived({ alertname: 'KafkaConsumerLagHigh' }, base)).map((n) => n.seq)).toEqual([2]);
    expect((await fetchReceived({ afterSeq: 1 }, base)).map((n) => n.seq)).toEqual([2, 3]);
    const iso = await fetch(`${base}/received?since=${encodeURIComponent(new Date(before).toISOString())}`);
    expect(((await iso.json()) as { notifications: unknown[] }).notifications).toHaveLength(1);
  });

  it('when a query or route is wrong, then it answers 400 or 404', async () => {
    expect((await fetch(`${base}/received?channel=email`)).status).toBe(400);
    expect((await fetch(`${base}/received?since=yesterday`)).status).toBe(400);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', received: 3 });
  });
});
