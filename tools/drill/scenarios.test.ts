// Each drill can only make its alert fire if its fault causes the real condition, since thresholds are not
// compressed: these checks tie every scenario to the rules source, the routing and the activity timeouts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { renderText } from '../../platform/render.ts';
import { tools } from '../../stack/tools.ts';
import * as policies from '../../workflows/order/policies.ts';
import { alertmanagerVars } from '../../alerts/alertmanager-vars.ts';
import { rulesSource } from '../../alerts/render-rules.ts';
import { requireBinary, run, templatePath } from '../../test/support/alerts.ts';
import {
  CALLS_PER_STEP,
  expectedChannel,
  inlineRecordings,
  scenarioFor,
  scenarios,
  SLOW_DOWNSTREAM,
  slowOrderLatencyMs,
  sourceRule,
  type Step,
  stepLatencyMs,
} from './scenarios.ts';

const workDir = mkdtempSync(join(tmpdir(), 'orderflow-drill-scenarios-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** The threshold of a `<series> > <number>` condition. */
const threshold = (alert: string): number => Number(sourceRule(alert).condition.split('>')[1]);
const scenario = (alert: string) => {
  const s = scenarioFor(alert);
  if (!s) throw new Error(`no scenario for ${alert}`);
  return s;
};
const fault = (alert: string) => {
  const injection = scenario(alert).injections[0];
  if (injection?.kind !== 'service-fault') throw new Error(`${alert} does not inject an app fault`);
  return injection.fault;
};
const seconds = (timeout: string): number => {
  const [amount, unit] = timeout.split(' ');
  if (unit !== 'seconds') throw new Error(`unexpected timeout ${timeout}`);
  return Number(amount) * 1000;
};

describe('drill scenarios', () => {
  it('when the ADR-0047 alert group is read, then every alert in it has exactly one drill', () => {
    const { groups } = load(readFileSync(rulesSource, 'utf8')) as {
      groups: { name: string; rules: { alert?: string }[] }[];
    };
    const adr = groups.find((g) => g.name === 'orderflow.adr0047.alerts')?.rules.map((r) => r.alert);
    expect(scenarios.map((s) => s.alert).sort()).toEqual([...(adr ?? [])].sort());
  });

  it('when amtool routes each drilled alert, then it reaches the receiver the drill waits on', () => {
    const config = join(workDir, 'alertmanager.yml');
    writeFileSync(config, renderText(readFileSync(templatePath, 'utf8'), alertmanagerVars({}), templatePath));
    for (const { alert } of scenarios) {
      const res = run(requireBinary(tools.alertmanager, 'amtool'), [
        'config',
        'routes',
        'test',
        `--config.file=${config}`,
        `alertname=${alert}`,
        `severity=${sourceRule(alert).severity}`,
        'team=orders-platform',
      ]);
      expect(res.status, res.output).toBe(0);
      expect(`${alert} ${res.stdout.trim()}`).toBe(`${alert} ${expectedChannel(alert)}`);
    }
  });

  it('when a drill sends orders, then its rate alone passes the 400 orders/hour traffic guard', () => {
    for (const s of scenarios.filter((s) => s.orders))
      expect(s.orders!.perSecond * 3600).toBeGreaterThan(400);
  });

  it('when pricing fails every quote, then the failed share is above the failure-rate threshold', () => {
    const { errorRate = 0, pathPrefix } = fault('OrderWorkflowFailureRateHigh');
    expect(pathPrefix).toBe('/quotes'); // the step before ReserveInventory: failed, not compensated
    const { maximumAttempts = 1 } = policies.calculatePricingOptions.retry;
    expect(errorRate ** maximumAttempts).toBeGreaterThan(threshold('OrderWorkflowFailureRateHigh'));
  });

  it('when shipping fails half its requests, then 1 order in 8 is compensated and the compensation gets through', () => {
    const { errorRate = 0 } = fault('OrderCompensationRateHigh');
    const { maximumAttempts: shipmentAttempts = 1 } = policies.createShipmentOptions.retry;
    const compensatedShare = errorRate ** shipmentAttempts;
    expect(compensatedShare).toBe(0.125);
    expect(compensatedShare).toBeGreaterThan(2 * threshold('OrderCompensationRateHigh'));
    // CancelShipment goes to the same service: all its attempts failing would end in compensation_failed.
    expect(errorRate ** policies.compensationOptions.retry.maximumAttempts).toBeLessThan(0.001);
  });

  it('when every proxy is slow, then each step stays inside its timeouts and an order takes over 45 s', () => {
    const stepOptions: Record<Step, { startToCloseTimeout: string }> = {
      ValidateOrder: policies.validateOrderOptions,
      CalculatePricing: policies.calculatePricingOptions,
      RunFraudCheck: policies.runFraudCheckOptions,
      ReserveInventory: policies.reserveInventoryOptions,
      ProcessPayment: policies.processPaymentOptions,
      CreateShipment: policies.createShipmentOptions,
      FinalizeOrder: policies.finalizeOrderOptions,
    };
    // Client timeouts per call: serviceClient's 10 s (workflows/activities/http-client.ts), Stripe's 25 s
    // (workflows/workers/payment-worker.ts). Keep 2 s of margin for the real work.
    const perCallLimit = (service: string): number => (service === 'payment' ? 25_000 : 10_000) - 2000;
    for (const step of Object.keys(CALLS_PER_STEP) as Step[]) {
      expect(stepLatencyMs(step), step).toBeLessThanOrEqual(
        seconds(stepOptions[step].startToCloseTimeout) - 2000,
      );
      for (const service of Object.keys(CALLS_PER_STEP[step]))
        expect(SLOW_DOWNSTREAM[service as keyof typeof SLOW_DOWNSTREAM], service).toBeLessThanOrEqual(
          perCallLimit(service),
        );
    }
    expect(slowOrderLatencyMs()).toBeGreaterThan((threshold('OrderWorkflowDurationHigh') + 3) * 1000);
    const slowed = scenario('OrderWorkflowDurationHigh').injections.map((i) =>
      i.kind === 'toxic' ? i.service : '',
    );
    expect(slowed.sort()).toEqual(Object.keys(SLOW_DOWNSTREAM).sort());
  });

  it('when a condition is asked of raw metrics, then every recorded series is replaced by its expression, nested ones too', () => {
    const recordings = new Map([
      ['job:x:rate5m', 'sum by (job) (rate(x_total[5m]))'],
      ['job:x:rate5m_ratio', 'job:x:rate5m / 2'],
    ]);
    expect(inlineRecordings('job:x:rate5m_ratio > 0.1 and job:x:rate5m > 1', recordings)).toBe(
      '((sum by (job) (rate(x_total[5m]))) / 2) > 0.1 and (sum by (job) (rate(x_total[5m]))) > 1',
    );
    for (const { alert } of scenarios) {
      const raw = sourceRule(alert).rawCondition;
      expect(raw, alert).not.toMatch(/\w:\w/); // no level:metric:operations name left
      expect(raw.endsWith(sourceRule(alert).condition.split(/\s(?=>)/)[1]!), alert).toBe(true);
    }
  });

  it('when the lag drill publishes its copies, then they alone pass the lag threshold', () => {
    expect(scenario('KafkaConsumerLagHigh').eventCopies).toBeGreaterThan(threshold('KafkaConsumerLagHigh'));
  });
});
