import { describe, expect, it } from 'vitest';
import { withinTolerance } from './probes.ts';
import type { PromProbe } from './experiment.ts';

const probe = (over: Partial<PromProbe> = {}): PromProbe => ({
  kind: 'promql',
  name: 'p',
  query: 'q',
  tolerance: { max: 0.01 },
  empty: 'holds',
  phases: ['during'],
  ...over,
});
const sample = (v: string) => ({ metric: {}, value: [0, v] as [number, string] });

describe('withinTolerance', () => {
  it('when the value is at or under max, then it holds; above, it does not', () => {
    expect(withinTolerance(probe(), [sample('0.01')]).ok).toBe(true);
    expect(withinTolerance(probe(), [sample('0.0101')])).toEqual({ ok: false, value: '0.0101' });
  });

  it('when a min is set and one of several series is below it, then it does not hold', () => {
    expect(withinTolerance(probe({ tolerance: { min: 1 } }), [sample('1'), sample('0')]).ok).toBe(false);
  });

  it('when the query returns nothing, then `empty` decides', () => {
    expect(withinTolerance(probe(), [])).toEqual({ ok: true, value: 'no data' });
    expect(withinTolerance(probe({ empty: 'breaks' }), [])).toEqual({ ok: false, value: 'no data' });
  });

  it('when the ratio is NaN (no ended order in the window), then it is no data, not a breach or a pass by itself', () => {
    expect(withinTolerance(probe(), [sample('NaN')])).toEqual({ ok: true, value: 'no data' });
    expect(withinTolerance(probe({ empty: 'breaks' }), [sample('NaN')]).ok).toBe(false);
  });
});
