// The drill's Alertmanager timings: the stack's config with every route timing divided by the factor, still
// valid for amtool; and a private Alertmanager running it, delivering to the alert-receiver in drill time,
// then resolving the drill's alerts the way the drill's cleanup does.
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderText } from '../../platform/render.ts';
import { tools } from '../../stack/tools.ts';
import { eventually } from '../../test/support/stack.ts';
import { alertmanagerVars } from '../../alerts/alertmanager-vars.ts';
import { fetchReceived } from '../../alerts/receiver/client.ts';
import { createReceiverServer } from '../../alerts/receiver/server.ts';
import { openNotificationLog } from '../../alerts/receiver/store.ts';
import { requireBinary, run, startPrivateAlertmanager, templatePath } from '../../test/support/alerts.ts';
import {
  drillRouting,
  drillAlertmanagerConfig,
  normalRouteTimings,
  resolveDrillAlerts,
  routeTimings,
} from './alertmanager-swap.ts';

const workDir = mkdtempSync(join(tmpdir(), 'orderflow-drill-am-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));
const template = readFileSync(templatePath, 'utf8');

describe('drill timings for Alertmanager', () => {
  it('when the stack config is put in drill time, then every route timing is divided by 20, alerts are grouped by drill too, and nothing else changes', () => {
    const normal = renderText(template, alertmanagerVars({}), templatePath);
    const drill = drillRouting(normal, 20, 'drill');
    expect(routeTimings(normal)).toEqual(normalRouteTimings());
    expect(routeTimings(drill)).toEqual([
      'default: 1500/15000/2160000',
      'pagerduty: 500/15000/180000',
      'pagerduty-manual-resolve: 500/15000/180000',
      'slack: 1500/15000/720000',
    ]);
    const changed = (a: string, b: string) => a.split('\n').filter((line, i) => line !== b.split('\n')[i]);
    expect(
      changed(drill, normal).filter((line) => !/^\s*(group_wait|group_interval|repeat_interval):/.test(line)),
    ).toEqual(['  group_by: [alertname, team, severity, drill]']);
    expect(() => drillRouting('route:\n  receiver: x\n', 20, 'drill')).toThrow(/no `group_by/);
  });

  it('when the drill config of the stack is checked, then amtool accepts it', () => {
    const file = join(workDir, 'drill.yml');
    writeFileSync(file, drillAlertmanagerConfig(20));
    const res = run(requireBinary(tools.alertmanager, 'amtool'), ['check-config', file]);
    expect(res.status, res.output).toBe(0);
  });
});

describe('a private Alertmanager in drill time, delivering to the alert-receiver', () => {
  const receiver = createReceiverServer(openNotificationLog());
  let receiverBase = '';
  let amUrl = '';
  let alertmanager: ChildProcess | undefined;
  const runId = `drill-t${Date.now().toString(36)}`;
  const team = 'orders-platform';

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const config = join(workDir, 'private.yml');
    const vars = {
      ...alertmanagerVars({}),
      ALERT_WEBHOOK_URL: `${receiverBase}/alerts`,
      PAGERDUTY_URL: `${receiverBase}/pagerduty`,
      SLACK_WEBHOOK_URL: `${receiverBase}/slack`,
    };
    writeFileSync(config, drillRouting(renderText(template, vars, templatePath), 20, 'drill'));
    ({ child: alertmanager, url: amUrl } = await startPrivateAlertmanager(config, workDir));
    const res = await fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        [
          { alertname: 'OrderWorkflowFailureRateHigh', severity: 'critical', job: 'order-worker' },
          { alertname: 'OrderWorkflowDurationHigh', severity: 'warning', job: 'order-worker' },
        ].map((labels) => ({
          labels: { ...labels, team, drill: runId },
          annotations: { summary: `${labels.alertname} summary`, runbook_url: 'alerts/runbooks.md' },
          startsAt: new Date().toISOString(),
        })),
      ),
    });
    expect(res.status).toBe(200);
  }, 40_000);

  afterAll(async () => {
    // Wait for it to exit: on SIGTERM Alertmanager writes its state into workDir, which the file's last
    // afterAll removes (a race that failed a fresh-clone run with ENOTEMPTY).
    const child = alertmanager;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('when a page and a warning fire, then PagerDuty and Slack stand-ins get them within the drill group waits', async () => {
    const started = Date.now();
    const got = await eventually(
      async () => {
        const n = await fetchReceived({ status: 'firing' }, receiverBase);
        return n.length >= 2 ? n : undefined;
      },
      10_000,
      'both notifications',
    );
    expect(got.map((n) => `${n.channel} ${n.alertname}`).sort()).toEqual([
      'pagerduty OrderWorkflowFailureRateHigh',
      'slack OrderWorkflowDurationHigh',
    ]);
    expect(Date.now() - started).toBeLessThan(10_000); // the stack's own waits would be 10 s and 30 s
  });

  it('when the cleanup resolves the drill’s alerts, then both receivers get the resolution', async () => {
    expect(await resolveDrillAlerts('drill', amUrl)).toBe(2);
    const resolved = await eventually(
      async () => {
        const n = await fetchReceived({ status: 'resolved' }, receiverBase);
        return n.length >= 2 ? n : undefined;
      },
      25_000, // the next flush of each group: the drill group_interval, 15 s
      'both resolutions',
    );
    expect(resolved.map((n) => n.channel).sort()).toEqual(['pagerduty', 'slack']);
    expect(await resolveDrillAlerts('drill', amUrl)).toBe(0);
  }, 30_000);
});
