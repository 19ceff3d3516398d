// The placeholders of alerts/alertmanager.template.yml: what each means, the environment variable that sets
// it and its local default. The stack runner renders the template with platform/render.ts; spreading
// `alertmanagerVars()` into its vars supplies every placeholder, so a new one cannot be forgotten there.
//
// Local defaults send pages and Slack messages to the stack's alert-receiver (alerts/receiver/, port 9097,
// ALERT_RECEIVER_PORT), a stand-in that keeps what PagerDuty and Slack would have received for drills.
// Production sets every variable; the routing key and the Slack URL come from the secret store.
import { host, ports } from '../platform/ports.ts';
import { repoRoot } from '../platform/paths.ts';
import { RECEIVER_PATHS } from './receiver/payloads.ts';

export interface Placeholder {
  readonly doc: string;
  readonly localDefault: string;
  readonly production: string;
}

const standIn = (path: string): string => `http://${host}:${ports.alertReceiver}${path}`;

export const alertmanagerPlaceholders = {
  ALERT_WEBHOOK_URL: {
    doc: 'Webhook of the default receiver: alerts whose severity is neither critical nor warning.',
    localDefault: standIn(RECEIVER_PATHS.webhook),
    production: 'the team’s catch-all webhook',
  },
  PAGERDUTY_ROUTING_KEY: {
    doc: 'PagerDuty Events API v2 integration (routing) key of the orders-platform service. A secret.',
    localDefault: 'orderflow-local-routing-key',
    production: 'from the secret store',
  },
  PAGERDUTY_URL: {
    doc: 'PagerDuty Events API v2 endpoint; a drill points it at a webhook stand-in.',
    localDefault: standIn(RECEIVER_PATHS.pagerduty),
    production: 'https://events.pagerduty.com/v2/enqueue',
  },
  SLACK_WEBHOOK_URL: {
    doc: 'Slack incoming-webhook URL that posts the warnings. A secret.',
    localDefault: standIn(RECEIVER_PATHS.slack),
    production: 'from the secret store (https://hooks.slack.com/services/…)',
  },
  SLACK_CHANNEL: {
    doc: 'Slack channel of the warnings.',
    localDefault: '#orders-platform-alerts',
    production: '#orders-platform-alerts',
  },
  RUNBOOK_BASE_URL: {
    doc: 'Prefix of the rules’ repo-relative runbook_url (alerts/runbooks.md#…); ends with a slash.',
    localDefault: `file://${repoRoot}/`,
    production: 'https://<git host>/<org>/orderflow/blob/main/',
  },
} as const satisfies Record<string, Placeholder>;

export type AlertmanagerPlaceholder = keyof typeof alertmanagerPlaceholders;

/** Every placeholder's value: its environment variable when set and not empty, else the local default. */
export function alertmanagerVars(
  env: NodeJS.ProcessEnv = process.env,
): Record<AlertmanagerPlaceholder, string> {
  return Object.fromEntries(
    Object.entries(alertmanagerPlaceholders).map(([name, p]) => [name, env[name] || p.localDefault]),
  ) as Record<AlertmanagerPlaceholder, string>;
}
