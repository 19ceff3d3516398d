// What PagerDuty, Slack and a plain Alertmanager webhook would accept, and what a drill needs to know about
// each notification: which alert, firing or resolved. The checks are the services' own (PagerDuty Events
// API v2 rejects an event without routing key, action or summary; Slack rejects a message without text),
// so a broken receiver config fails locally the way it would in production, not silently.
//
// The alert name is read from what alerts/alertmanager.template.yml sends: PagerDuty's `payload.class` and
// Slack's title `[FIRING:n] <alertname>: <summary>`.

export type Channel = 'pagerduty' | 'slack' | 'webhook';
export type NotificationStatus = 'firing' | 'resolved' | 'acknowledged';

export interface ParsedNotification {
  readonly channel: Channel;
  readonly status: NotificationStatus;
  /** Undefined when the sender's template does not carry it. */
  readonly alertname?: string;
  readonly summary: string;
}

export type ParseResult =
  | { readonly ok: true; readonly notification: ParsedNotification }
  | { readonly ok: false; readonly errors: readonly string[] };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

const PAGERDUTY_ACTIONS: Readonly<Record<string, NotificationStatus>> = {
  trigger: 'firing',
  resolve: 'resolved',
  acknowledge: 'acknowledged',
};
const PAGERDUTY_SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);

/** PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/). */
export function parsePagerDuty(body: unknown): ParseResult {
  if (!isRecord(body)) return { ok: false, errors: ['event must be a JSON object'] };
  const errors: string[] = [];
  if (!nonEmpty(body.routing_key)) errors.push("'routing_key' is missing or empty");
  const action = typeof body.event_action === 'string' ? body.event_action : '';
  const status = PAGERDUTY_ACTIONS[action];
  if (!status) errors.push("'event_action' must be one of trigger, acknowledge, resolve");
  if (action !== 'trigger' && action !== '' && !nonEmpty(body.dedup_key))
    errors.push(`'dedup_key' is required to ${action}`);
  const payload = isRecord(body.payload) ? body.payload : undefined;
  if (action === 'trigger') {
    if (!payload) errors.push("'payload' is missing");
    else {
      if (!nonEmpty(payload.summary)) errors.push("'payload.summary' is missing or empty");
      else if (payload.summary.length > 1024) errors.push("'payload.summary' is longer than 1024 characters");
      if (!nonEmpty(payload.source)) errors.push("'payload.source' is missing or empty");
      if (typeof payload.severity !== 'string' || !PAGERDUTY_SEVERITIES.has(payload.severity))
        errors.push("'payload.severity' must be one of critical, error, warning, info");
    }
  }
  if (errors.length > 0 || !status) return { ok: false, errors };
  const summary = nonEmpty(payload?.summary) ? payload.summary : '';
  const alertname = nonEmpty(payload?.class) ? payload.class : /^(\w+):/.exec(summary)?.[1];
  return {
    ok: true,
    notification: { channel: 'pagerduty', status, summary, ...(alertname ? { alertname } : {}) },
  };
}

const SLACK_TITLE = /^\[(FIRING|RESOLVED)(?::\d+)?\]\s+(\w+):\s*(.*)$/s;

/** Slack incoming webhook (https://api.slack.com/messaging/webhooks): text, attachments or blocks. */
export function parseSlack(body: unknown): ParseResult {
  if (!isRecord(body)) return { ok: false, errors: ['invalid_payload'] };
  const attachments = Array.isArray(body.attachments) ? body.attachments.filter(isRecord) : [];
  const hasBlocks = Array.isArray(body.blocks) && body.blocks.length > 0;
  if (!nonEmpty(body.text) && attachments.length === 0 && !hasBlocks)
    return { ok: false, errors: ['no_text'] };
  const first = attachments[0];
  const title = nonEmpty(first?.title) ? first.title : nonEmpty(body.text) ? body.text : '';
  const match = SLACK_TITLE.exec(title);
  return {
    ok: true,
    notification: {
      channel: 'slack',
      status: match?.[1] === 'RESOLVED' ? 'resolved' : 'firing',
      summary: match?.[3] ?? title,
      ...(match?.[2] ? { alertname: match[2] } : {}),
    },
  };
}

/** Alertmanager's own webhook JSON (version 4): the default receiver. */
export function parseWebhook(body: unknown): ParseResult {
  if (!isRecord(body) || !Array.isArray(body.alerts))
    return { ok: false, errors: ['not an Alertmanager webhook message (no alerts array)'] };
  const common = isRecord(body.commonLabels) ? body.commonLabels : {};
  const annotations = isRecord(body.commonAnnotations) ? body.commonAnnotations : {};
  const alertname = nonEmpty(common.alertname) ? common.alertname : undefined;
  return {
    ok: true,
    notification: {
      channel: 'webhook',
      status: body.status === 'resolved' ? 'resolved' : 'firing',
      summary: nonEmpty(annotations.summary) ? annotations.summary : '',
      ...(alertname ? { alertname } : {}),
    },
  };
}

/** The stand-in's path per channel; alerts/alertmanager-vars.ts points the local receivers at them. */
export const RECEIVER_PATHS: Readonly<Record<Channel, string>> = {
  pagerduty: '/pagerduty',
  slack: '/slack',
  webhook: '/alerts',
};

export const PARSERS: Readonly<Record<Channel, (body: unknown) => ParseResult>> = {
  pagerduty: parsePagerDuty,
  slack: parseSlack,
  webhook: parseWebhook,
};
