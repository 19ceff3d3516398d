// The Alertmanager template: rendered the way the stack renders it (platform/render.ts), valid for amtool, every
// route tested, the on-call map in alerts/README.md matching the routing, the notification templates
// rendering, and a private Alertmanager (no stack needed) delivering to PagerDuty and Slack stand-ins,
// inhibiting and honouring the runbook's maintenance silence.
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderText, type Vars } from '../platform/render.ts';
import { tools } from '../stack/tools.ts';
import { alertmanagerPlaceholders, alertmanagerVars } from './alertmanager-vars.ts';
import { rulesSource } from './render-rules.ts';
import { eventually } from '../test/support/stack.ts';
import {
  alertRules,
  loadYaml,
  readRules,
  readmePath,
  requireBinary,
  run,
  startPrivateAlertmanager,
  templatePath,
} from '../test/support/alerts.ts';

const amtool = (): string => requireBinary(tools.alertmanager, 'amtool');
const workDir = mkdtempSync(join(tmpdir(), 'orderflow-alertmanager-'));
const template = readFileSync(templatePath, 'utf8');

function renderConfig(vars: Vars, name: string): string {
  const out = join(workDir, name);
  writeFileSync(out, renderText(template, vars, templatePath));
  return out;
}

const localConfig = renderConfig(alertmanagerVars({}), 'alertmanager.local.yml');
const team = 'orders-platform';

/** The receiver amtool resolves for a label set. */
function receiverFor(labels: Readonly<Record<string, string>>): string {
  const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  const res = run(amtool(), ['config', 'routes', 'test', `--config.file=${localConfig}`, ...args]);
  expect(res.status, res.output).toBe(0);
  return res.stdout.trim();
}

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('Alertmanager template: alerts/alertmanager.template.yml', () => {
  it('when the template is read, then its placeholders are exactly the documented ones', () => {
    const used = [...new Set([...template.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]))].sort();
    expect(used).toEqual(Object.keys(alertmanagerPlaceholders).sort());
    const readme = readFileSync(readmePath, 'utf8');
    expect(used.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it('when rendered with the local defaults, then amtool accepts the config', () => {
    const res = run(amtool(), ['check-config', localConfig]);
    expect(res.status, res.output).toBe(0);
    expect(res.output).toContain('SUCCESS');
  });

  it('when rendered with production-style values, then amtool accepts the config', () => {
    const config = renderConfig(
      {
        ...alertmanagerVars({}),
        PAGERDUTY_ROUTING_KEY: 'R0123456789ABCDEF0123456789ABCDEF',
        PAGERDUTY_URL: 'https://events.pagerduty.com/v2/enqueue',
        SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXX',
        RUNBOOK_BASE_URL: 'https://git.example.com/acme/orderflow/blob/main/',
        ALERT_WEBHOOK_URL: 'https://alerts.example.com/orderflow',
      },
      'alertmanager.production.yml',
    );
    const res = run(amtool(), ['check-config', config]);
    expect(res.status, res.output).toBe(0);
  });

  const routes: readonly {
    readonly why: string;
    readonly labels: Record<string, string>;
    readonly receiver: string;
  }[] = [
    {
      why: 'a critical alert',
      labels: { alertname: 'OrderWorkflowFailureRateHigh', severity: 'critical', team },
      receiver: 'pagerduty',
    },
    {
      why: 'a failed refund (critical)',
      labels: {
        alertname: 'OrderRefundCompensationFailed',
        severity: 'critical',
        team,
        compensation: 'RefundPayment',
      },
      receiver: 'pagerduty-manual-resolve',
    },
    {
      why: 'a warning',
      labels: { alertname: 'KafkaConsumerLagHigh', severity: 'warning', team, group: 'analytics-consumer' },
      receiver: 'slack',
    },
    {
      why: 'a critical alert of another team',
      labels: { alertname: 'Anything', severity: 'critical', team: 'payments' },
      receiver: 'pagerduty',
    },
    { why: 'severity info', labels: { alertname: 'Anything', severity: 'info', team }, receiver: 'default' },
    { why: 'no severity', labels: { alertname: 'Anything', team }, receiver: 'default' },
  ];
  it.each(routes)('when amtool routes $why, then it reaches $receiver', ({ labels, receiver }) => {
    const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
    const res = run(amtool(), [
      'config',
      'routes',
      'test',
      `--config.file=${localConfig}`,
      `--verify.receivers=${receiver}`,
      ...args,
    ]);
    expect(res.status, res.output).toBe(0);
  });

  it('when every alert rule is routed, then it reaches the receiver the on-call map in alerts/README.md names', () => {
    const rows = readFileSync(readmePath, 'utf8')
      .split('\n')
      .filter((line) => /^\|\s*\[\w+\]\(runbooks\.md#/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const map = new Set(
      rows.map(([, alert = '', severity = '', receiver = '']) => {
        const [, name = '', anchor = ''] = /^\[(\w+)\]\(runbooks\.md#([\w-]+)\)$/.exec(alert) ?? [];
        expect(anchor, `${name}: runbook link`).toBe(name.toLowerCase());
        return `${name} ${severity} ${receiver.replace(/`/g, '')}`;
      }),
    );
    const routed = new Set(
      alertRules(readRules(rulesSource)).map((a) => {
        const labels = { alertname: a.alert, ...a.labels };
        return `${a.alert} ${a.labels.severity} ${receiverFor(labels)}`;
      }),
    );
    expect(
      [...routed].filter((r) => !map.has(r)),
      'routed but missing from the on-call map',
    ).toEqual([]);
    expect(
      [...map].filter((r) => !routed.has(r)),
      'in the on-call map but not routed that way',
    ).toEqual([]);
  });

  it('when the notification templates render an example alert, then they produce text without missing values', () => {
    const strings: string[] = [];
    const walk = (node: unknown): void => {
      if (typeof node === 'string' && node.includes('{{')) strings.push(node);
      else if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') Object.values(node).forEach(walk);
    };
    walk(loadYaml(readFileSync(localConfig, 'utf8')));
    expect(strings.length).toBeGreaterThan(10);
    const labels = {
      alertname: 'OrderCompensationRateHigh',
      severity: 'critical',
      team,
      job: 'order-worker',
    };
    const annotations = {
      summary: 'More than 5% of order workflows were compensated over the last 15 minutes (ADR-0047).',
      description: '6% of the order workflows of order-worker failed after ReserveInventory …',
      runbook_url: 'alerts/runbooks.md#ordercompensationratehigh',
    };
    const data = join(workDir, 'template-data.json');
    writeFileSync(
      data,
      JSON.stringify({
        receiver: 'pagerduty',
        status: 'firing',
        alerts: [
          {
            status: 'firing',
            labels,
            annotations,
            startsAt: '2025-01-01T00:00:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://127.0.0.1:9090/graph',
            fingerprint: '0123456789abcdef',
          },
        ],
        groupLabels: { alertname: labels.alertname, team, severity: 'critical' },
        commonLabels: labels,
        commonAnnotations: annotations,
        externalURL: 'http://127.0.0.1:9093',
      }),
    );
    // amtool wants a template file besides the text; the config has none (its templates are inline).
    writeFileSync(join(workDir, 'none.tmpl'), '{{/* no shared templates */}}');
    for (const text of strings) {
      const res = run(amtool(), [
        'template',
        'render',
        `--template.glob=${join(workDir, 'none.tmpl')}`,
        `--template.text=${text}`,
        `--template.data=${data}`,
      ]);
      expect(res.status, `${text}\n${res.output}`).toBe(0);
      expect(res.stdout, text).not.toContain('<no value>');
      // The example alert is firing, so only the list of resolved alerts may come out empty.
      if (!text.includes('.Alerts.Resolved')) expect(res.stdout.trim(), text).not.toBe('');
      if (text.includes('runbook_url'))
        expect(res.stdout).toContain(
          `${alertmanagerVars({}).RUNBOOK_BASE_URL}alerts/runbooks.md#ordercompensationratehigh`,
        );
    }
  });
});

// --- A private Alertmanager with the rendered config --------------------------------------------------------

interface Received {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

interface ApiAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[]; silencedBy: string[] };
}

const until = <T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> => eventually(async () => probe(), timeoutMs, what);

describe('a private Alertmanager running the rendered config', () => {
  const received: Received[] = [];
  const runId = `t${Date.now().toString(36)}`;
  const runbookBase = 'https://git.example.com/acme/orderflow/blob/main/';
  let standIn: Server;
  let alertmanager: ChildProcess | undefined;
  let amUrl = '';

  const post = async (
    alerts: { labels: Record<string, string>; annotations?: Record<string, string> }[],
  ): Promise<void> => {
    const res = await fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        alerts.map((a) => ({
          ...a,
          labels: { ...a.labels, run: runId },
          startsAt: new Date().toISOString(),
        })),
      ),
    });
    expect(res.status, await res.text()).toBe(200);
  };
  const alertsNamed = async (alertname: string): Promise<ApiAlert[]> => {
    const filter = encodeURIComponent(`alertname="${alertname}"`);
    const res = await fetch(
      `${amUrl}/api/v2/alerts?filter=${filter}&filter=${encodeURIComponent(`run="${runId}"`)}`,
    );
    return (await res.json()) as ApiAlert[];
  };

  beforeAll(async () => {
    standIn = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(body || '{}') as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success"}');
      });
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    const standInUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
    const config = renderConfig(
      {
        ...alertmanagerVars({}),
        ALERT_WEBHOOK_URL: `${standInUrl}/alerts`,
        PAGERDUTY_URL: `${standInUrl}/pagerduty`,
        PAGERDUTY_ROUTING_KEY: 'drill-routing-key',
        SLACK_WEBHOOK_URL: `${standInUrl}/slack`,
        RUNBOOK_BASE_URL: runbookBase,
      },
      'alertmanager.drill.yml',
    );
    ({ child: alertmanager, url: amUrl } = await startPrivateAlertmanager(config, workDir));
    // Both notifications are sent after their group_wait (critical 10s, warning 30s): start them together.
    await post([
      {
        labels: { alertname: 'OrderCompensationRateHigh', severity: 'critical', team, job: 'order-worker' },
        annotations: {
          summary: 'More than 5% of order workflows were compensated over the last 15 minutes (ADR-0047).',
          description: '6% of the order workflows of order-worker failed after ReserveInventory.',
          runbook_url: 'alerts/runbooks.md#ordercompensationratehigh',
        },
      },
      {
        labels: { alertname: 'KafkaConsumerLagHigh', severity: 'warning', team, group: 'analytics-consumer' },
        annotations: {
          summary: 'A Kafka consumer group is more than 10,000 messages behind (ADR-0047).',
          description: 'Consumer group analytics-consumer is 12.35k messages behind (threshold 10k).',
          runbook_url: 'alerts/runbooks.md#kafkaconsumerlaghigh',
        },
      },
    ]);
  }, 60_000);

  afterAll(async () => {
    alertmanager?.kill('SIGTERM');
    await new Promise((resolve) => standIn?.close(resolve));
  });

  it('when a critical alert fires, then the PagerDuty endpoint gets a trigger with the routing key, summary and runbook link', async () => {
    const event = await until(
      'PagerDuty event',
      45_000,
      () => received.find((r) => r.path === '/pagerduty')?.body,
    );
    expect(event).toMatchObject({
      routing_key: 'drill-routing-key',
      event_action: 'trigger',
      payload: {
        summary:
          'OrderCompensationRateHigh: More than 5% of order workflows were compensated over the last 15 minutes (ADR-0047).',
        severity: 'critical',
        class: 'OrderCompensationRateHigh',
        component: 'order-worker',
        group: team,
      },
      links: [
        {
          href: `${runbookBase}alerts/runbooks.md#ordercompensationratehigh`,
          text: 'Runbook: OrderCompensationRateHigh',
        },
      ],
    });
  }, 50_000);

  it('when a warning fires, then the Slack webhook gets it in the channel with its description and runbook', async () => {
    const message = await until(
      'Slack message',
      55_000,
      () => received.find((r) => r.path === '/slack')?.body,
    );
    expect(message).toMatchObject({ channel: '#orders-platform-alerts' });
    const [attachment] = message.attachments as Record<string, string>[];
    expect(attachment).toMatchObject({
      title:
        '[FIRING:1] KafkaConsumerLagHigh: A Kafka consumer group is more than 10,000 messages behind (ADR-0047).',
      title_link: `${runbookBase}alerts/runbooks.md#kafkaconsumerlaghigh`,
      color: 'warning',
    });
    expect(attachment?.text).toContain(
      '• Consumer group analytics-consumer is 12.35k messages behind (threshold 10k).',
    );
    expect(
      received.filter((r) => r.path === '/alerts'),
      'nothing reaches the default receiver',
    ).toEqual([]);
  }, 60_000);

  it('when the page and the ticket of the same alert fire, then the ticket is inhibited', async () => {
    const burn = { alertname: 'OrderFailureBudgetBurn', team, job: 'order-worker' };
    await post([
      { labels: { ...burn, severity: 'critical', long: '1h', short: '5m' } },
      { labels: { ...burn, severity: 'warning', long: '1d', short: '2h' } },
    ]);
    const alerts = await until<ApiAlert[]>('both burn-rate alerts known', 10_000, async () => {
      const found = await alertsNamed('OrderFailureBudgetBurn');
      return found.length === 2 ? found : undefined;
    });
    const status = (severity: string) => alerts.find((a) => a.labels.severity === severity)?.status;
    expect(status('critical')).toMatchObject({ state: 'active', inhibitedBy: [] });
    expect(status('warning')?.state).toBe('suppressed');
    expect(status('warning')?.inhibitedBy).toHaveLength(1);
  });

  it('when the runbook’s maintenance silence is added with amtool, then the team’s alerts are silenced but a failed refund still pages', async () => {
    // The command of alerts/runbooks.md, "Maintenance silences", with this Alertmanager's URL.
    const res = run(amtool(), [
      `--alertmanager.url=${amUrl}`,
      'silence',
      'add',
      'team=orders-platform',
      'alertname!=OrderRefundCompensationFailed',
      `run=${runId}`,
      '--duration=2h',
      '--author=alerts-test',
      '--comment=CHG-0000 test of the runbook silence',
    ]);
    expect(res.status, res.output).toBe(0);
    const silenceId = res.stdout.trim();
    await post([
      {
        labels: { alertname: 'OrderStuckInStatus', severity: 'warning', team, status: 'processing_payment' },
      },
      {
        labels: {
          alertname: 'OrderRefundCompensationFailed',
          severity: 'critical',
          team,
          compensation: 'RefundPayment',
        },
      },
    ]);
    const [stuck] = await until('stuck alert known', 10_000, async () =>
      (await alertsNamed('OrderStuckInStatus')).length ? alertsNamed('OrderStuckInStatus') : undefined,
    );
    const [refund] = await alertsNamed('OrderRefundCompensationFailed');
    expect(stuck?.status).toMatchObject({ state: 'suppressed', silencedBy: [silenceId] });
    expect(refund?.status).toMatchObject({ state: 'active', silencedBy: [] });
  });
});
