import { describe, expect, it } from 'vitest';
import { canaryProbability, splitEvidence } from './evidence.ts';

const test10 = { share: 0.1, tolerance: 1, ratios: [2, 4, 8, 16, 64] };

describe('splitEvidence (mixture SPRT on how bad events split)', () => {
  it('is 1 with no bad event: no evidence either way', () => {
    expect(splitEvidence({ canary: 0, baseline: 0 }, test10)).toBe(1);
  });

  it('grows when bad events pile up on the canary beyond its share, and shrinks when they do not', () => {
    const heavy = splitEvidence({ canary: 4, baseline: 2 }, test10);
    const fair = splitEvidence({ canary: 1, baseline: 9 }, test10);
    expect(heavy).toBeGreaterThan(100);
    expect(fair).toBeLessThan(1);
    expect(splitEvidence({ canary: 5, baseline: 2 }, test10)).toBeGreaterThan(heavy);
  });

  it('stays finite on thousands of events (log-sum-exp)', () => {
    const e = splitEvidence({ canary: 3000, baseline: 27_000 }, test10);
    expect(Number.isFinite(e)).toBe(true);
    expect(e).toBeLessThan(1);
  });

  it('with a tolerance, a canary exactly that much worse is not evidence', () => {
    const tolerant = { ...test10, tolerance: 2 };
    // 2x the baseline's rate at a 10% share: the canary gets 2/11 of bad events.
    expect(splitEvidence({ canary: 20, baseline: 90 }, tolerant)).toBeLessThan(1);
    expect(canaryProbability(0.1, 2)).toBeCloseTo(2 / 11);
  });

  it('rejects a share outside (0, 1), counts that are not counts, and ratios not above 1', () => {
    expect(() => splitEvidence({ canary: 0, baseline: 0 }, { ...test10, share: 0 })).toThrow(RangeError);
    expect(() => splitEvidence({ canary: 0, baseline: 0 }, { ...test10, share: 1 })).toThrow(RangeError);
    expect(() => splitEvidence({ canary: -1, baseline: 0 }, test10)).toThrow(/not a count/);
    expect(() => splitEvidence({ canary: 1.5, baseline: 0 }, test10)).toThrow(/not a count/);
    expect(() => splitEvidence({ canary: 0, baseline: 0 }, { ...test10, ratios: [] })).toThrow(/alternative/);
    expect(() => splitEvidence({ canary: 0, baseline: 0 }, { ...test10, ratios: [1] })).toThrow(/above 1/);
  });
});
