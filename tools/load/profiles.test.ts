import { describe, expect, it } from 'vitest';
import { breakpointRates, parseDuration, parseRate, profiles, resolveProfile } from './profiles.ts';
import { loadConfig } from './k6-options.ts';
import { mixes, ordersOf, splitRate } from './mix.ts';
import { parseCli } from './cli.ts';
import { classify } from './reconcile.ts';
import type { OrderRecord } from '../../order-store/index.ts';

describe('load profiles', () => {
  it('when rates and durations are written in the usual ways, then they parse to orders/h and seconds', () => {
    expect(parseRate('15000/h')).toBe(15000);
    expect(parseRate('15k/h')).toBe(15000);
    expect(parseRate('2400')).toBe(2400);
    expect(parseRate('4/s')).toBe(14400);
    expect(() => parseRate('fast')).toThrow(/not a rate/);
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('1m30s')).toBe(90);
    expect(parseDuration('5m')).toBe(300);
    expect(parseDuration('45')).toBe(45);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });

  it("when the profiles are listed, then they carry the issue's rates and the ADR's thresholds", () => {
    expect(profiles.normal.rate).toBe(2400);
    expect(profiles.peak.rate).toBe(8000);
    expect(profiles.target.rate).toBe(15000);
    expect(profiles.soak.seconds).toBe(1800);
    expect(profiles.spike.stages?.map((s) => s.rate)).toEqual([2400, 15000, 15000, 2400, 2400]);
    expect(profiles.target.thresholds).toEqual({
      technicalFailureRate: 0.01,
      ownTechnicalFailureRate: 0.001,
      acceptP99Ms: 200,
      acceptToTerminalP99Ms: 2000,
    });
    expect(breakpointRates(profiles.breakpoint)).toEqual([
      5000, 7500, 10000, 12500, 15000, 17500, 20000, 22500, 25000, 27500, 30000, 32500, 35000, 37500, 40000,
    ]);
  });

  it('when the spike is shortened or scaled, then its stages keep their shape', () => {
    const p = resolveProfile('spike', { seconds: 150, rate: 7500 });
    expect(p.stages?.map((s) => s.rate)).toEqual([1200, 7500, 7500, 1200, 1200]);
    expect(p.seconds).toBe(150);
  });

  it('when the k6 options are built, then the executors are open-model arrival rates per hour with integral rates summing to the profile rate', () => {
    const mix = mixes.realistic;
    const c = loadConfig('run-1', 'http://127.0.0.1:8080', mix, { rate: 15000, seconds: 240 });
    expect(c.scenarios.orders).toMatchObject({
      executor: 'constant-arrival-rate',
      timeUnit: '1h',
      rate: 14850,
      duration: '240s',
    });
    expect(c.scenarios.review).toMatchObject({
      executor: 'constant-arrival-rate',
      timeUnit: '1h',
      rate: 150,
    });
    expect(splitRate(mix, 15000)).toEqual({ orders: 14850, review: 150 });
    const spike = resolveProfile('spike', {});
    const r = loadConfig('run-2', 'http://127.0.0.1:8080', mixes.happy, spike);
    expect(r.scenarios.orders).toMatchObject({
      executor: 'ramping-arrival-rate',
      timeUnit: '1h',
      startRate: 2400,
    });
    expect(r.scenarios.review).toBeUndefined(); // the happy mix has no review orders
    expect(ordersOf(15000, 240)).toBe(1000);
  });

  it('when the command line is parsed, then profile, overrides and run id come out; bad input is a usage error', () => {
    const o = parseCli([
      'target',
      '--rate',
      '12000/h',
      '--duration',
      '3m',
      '--mix',
      'happy',
      '--run-id',
      'abc-1',
    ]);
    expect(o).toMatchObject({ mix: 'happy', runId: 'abc-1', compareTracing: false });
    expect(o.profile).toMatchObject({ name: 'target', rate: 12000, seconds: 180 });
    expect(parseCli(['smoke']).runId).toMatch(/^load-smoke-\d{8}-\d{6}-[a-z0-9]{4}$/);
    expect(() => parseCli(['turbo'])).toThrow(/unknown or missing profile/);
    expect(() => parseCli(['smoke', '--mix', 'odd'])).toThrow(/unknown mix/);
    expect(() => parseCli(['smoke', '--run-id', 'a b'])).toThrow(/run id/);
    expect(() => parseCli(['smoke', '--bogus'])).toThrow();
  });

  it('when an order ended, then a business decline is not a technical failure and compensation_failed is', () => {
    const rec = (status: OrderRecord['status'], type?: string) =>
      ({ status, failure: type ? { step: 'ProcessPayment', type, message: '' } : null }) as OrderRecord;
    expect(classify(rec('completed'))).toBe('completed');
    expect(classify(rec('failed', 'PaymentDeclined'))).toBe('declined');
    expect(classify(rec('failed', 'UndeliverableAddress'))).toBe('declined');
    expect(classify(rec('failed', 'DownstreamUnavailable'))).toBe('failed');
    expect(classify(rec('compensation_failed', 'UndeliverableAddress'))).toBe('failed');
    expect(classify(rec('received'))).toBe('running');
  });
});
