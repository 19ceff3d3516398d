// The stand-in accepts what PagerDuty and Slack accept, rejects what they reject, and reads the alert name and
// status from what alerts/alertmanager.template.yml sends.
import { describe, expect, it } from 'vitest';
import { parsePagerDuty, parseSlack, parseWebhook } from './payloads.ts';

const trigger = {
  routing_key: 'orderflow-local-routing-key',
  event_action: 'trigger',
  dedup_key: 'abc',
  payload: {
    summary: 'OrderCompensationRateHigh: More than 5% of order workflows were compensated.',
    source: 'orderflow Alertmanager',
    severity: 'critical',
    class: 'OrderCompensationRateHigh',
  },
};

describe('PagerDuty Events API v2 payloads', () => {
  it('when Alertmanager triggers, then the page is firing with the alert name from payload.class', () => {
    expect(parsePagerDuty(trigger)).toEqual({
      ok: true,
      notification: {
        channel: 'pagerduty',
        status: 'firing',
        alertname: 'OrderCompensationRateHigh',
        summary: trigger.payload.summary,
      },
    });
  });

  it('when it resolves, then the page is resolved', () => {
    const result = parsePagerDuty({ ...trigger, event_action: 'resolve' });
    expect(result.ok && result.notification.status).toBe('resolved');
  });

  it('when the class is missing, then the alert name comes from the summary prefix', () => {
    const result = parsePagerDuty({ ...trigger, payload: { ...trigger.payload, class: undefined } });
    expect(result.ok && result.notification.alertname).toBe('OrderCompensationRateHigh');
  });

  it('when the routing key, action or required payload fields are missing, then it is an invalid event listing each', () => {
    const result = parsePagerDuty({
      event_action: 'trigger',
      payload: { summary: '', severity: 'urgent' },
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        "'routing_key' is missing or empty",
        "'payload.summary' is missing or empty",
        "'payload.source' is missing or empty",
        "'payload.severity' must be one of critical, error, warning, info",
      ],
    });
    expect(parsePagerDuty({ ...trigger, event_action: 'escalate' })).toMatchObject({ ok: false });
    expect(parsePagerDuty({ ...trigger, event_action: 'resolve', dedup_key: undefined })).toEqual({
      ok: false,
      errors: ["'dedup_key' is required to resolve"],
    });
  });
});

describe('Slack incoming-webhook payloads', () => {
  const message = (title: string) => ({
    channel: '#orders-platform-alerts',
    attachments: [
      { title, text: '• Consumer group analytics-consumer is 12.35k messages behind', color: 'warning' },
    ],
  });

  it('when Alertmanager posts a firing warning, then the alert name and summary come from the title', () => {
    expect(
      parseSlack(
        message(
          '[FIRING:1] KafkaConsumerLagHigh: A Kafka consumer group is more than 10,000 messages behind.',
        ),
      ),
    ).toEqual({
      ok: true,
      notification: {
        channel: 'slack',
        status: 'firing',
        alertname: 'KafkaConsumerLagHigh',
        summary: 'A Kafka consumer group is more than 10,000 messages behind.',
      },
    });
  });

  it('when it posts the resolution, then the message is resolved', () => {
    const result = parseSlack(message('[RESOLVED] KafkaConsumerLagHigh: A Kafka consumer group is behind.'));
    expect(result.ok && result.notification.status).toBe('resolved');
  });

  it('when a message has neither text, attachments nor blocks, then Slack’s no_text is the answer', () => {
    expect(parseSlack({ channel: '#x' })).toEqual({ ok: false, errors: ['no_text'] });
    expect(parseSlack('hello')).toEqual({ ok: false, errors: ['invalid_payload'] });
  });
});

describe('Alertmanager webhook payloads (the default receiver)', () => {
  it('when a group is posted, then its common alert name and status are read', () => {
    expect(
      parseWebhook({
        version: '4',
        status: 'resolved',
        alerts: [{ labels: { alertname: 'Anything' } }],
        commonLabels: { alertname: 'Anything' },
        commonAnnotations: { summary: 'something' },
      }),
    ).toEqual({
      ok: true,
      notification: { channel: 'webhook', status: 'resolved', alertname: 'Anything', summary: 'something' },
    });
    expect(parseWebhook({ status: 'firing' })).toMatchObject({ ok: false });
  });
});
