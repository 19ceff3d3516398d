import { describe, expect, it } from 'vitest';
import { parseCompareArgs, UsageError } from './args.ts';
import { split } from './run.ts';

const now = new Date('2026-12-02T17:00:00Z');

describe('parseCompareArgs', () => {
  it('when only the scenario is given, then the October peak (8,000/h) for 3 minutes, split evenly, happy mix', () => {
    const o = parseCompareArgs(['october-incident'], now);
    expect(o.scenario.name).toBe('october-incident');
    expect(o.scenario.injections).toEqual([
      {
        kind: 'toxic',
        service: 'inventory',
        toxic: { type: 'latency', stream: 'downstream', attributes: { latency: 3000 } },
      },
    ]);
    expect(o).toMatchObject({
      ratePerHour: 8000,
      seconds: 180,
      drainSeconds: 90,
      legacyShare: 0.5,
      mix: 'happy',
    });
    expect(o.runId).toBe('compare-october-incident-20261202-170000');
  });

  it('when options are given, then they are used', () => {
    const o = parseCompareArgs(
      [
        'baseline',
        '--rate',
        '1200/h',
        '--duration',
        '30s',
        '--drain',
        '1m',
        '--legacy-share',
        '0.3',
        '--mix',
        'realistic',
        '--run-id',
        'x-1',
      ],
      now,
    );
    expect(o).toMatchObject({
      ratePerHour: 1200,
      seconds: 30,
      drainSeconds: 60,
      legacyShare: 0.3,
      mix: 'realistic',
      runId: 'x-1',
    });
    expect(o.scenario.injections).toEqual([]);
  });

  it.each([
    [[], /exactly one scenario/],
    [['nope'], /unknown scenario nope/],
    [['baseline', '--rate', 'fast'], /--rate: not a rate/],
    [['baseline', '--duration', '5s'], /at least 10s/],
    [['baseline', '--legacy-share', '1'], /not between 0.1 and 0.9/],
    [['baseline', '--mix', 'sad'], /--mix: sad/],
    [['baseline', '--run-id', 'a b'], /--run-id/],
    [['baseline', '--what'], /Unknown option/],
  ])('when the arguments are %j, then a usage error says why', (argv, message) => {
    expect(() => parseCompareArgs(argv, now)).toThrow(UsageError);
    expect(() => parseCompareArgs(argv, now)).toThrow(message);
  });
});

describe('split', () => {
  it('gives each pipeline an integral rate, summing to the total', () => {
    expect(split({ ratePerHour: 8001, legacyShare: 0.5 })).toEqual({ orchestrated: 4000, legacy: 4001 });
    expect(split({ ratePerHour: 1200, legacyShare: 0.25 })).toEqual({ orchestrated: 900, legacy: 300 });
  });
});

describe('sizeVus', () => {
  it('when a constant rate is given, then VUs for 12 s checkouts are allocated up front', async () => {
    const { sizeVus } = await import('./k6.ts');
    expect(
      sizeVus({ executor: 'constant-arrival-rate', rate: 4000, preAllocatedVUs: 9, maxVUs: 40 }),
    ).toMatchObject({
      preAllocatedVUs: 33,
      maxVUs: 76,
    });
    expect(sizeVus({ executor: 'ramping-arrival-rate', startRate: 1 })).toEqual({
      executor: 'ramping-arrival-rate',
      startRate: 1,
    });
  });
});
