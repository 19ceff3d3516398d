// The gate over many seeded simulated rollouts at the ADR's low traffic (40 orders a minute, phases 10% and 50%,
// a 10-minute soak): what the issue asks of it, as numbers that repeat exactly.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './decide.ts';
import { seededRandom, simulateRollout, type ArmBehaviour } from './simulate.ts';

const baseline: ArmBehaviour = { failure: 0.005, slow: 0.02 };
const scenario = (canary: ArmBehaviour) => ({
  ordersPerMinute: 40,
  canary,
  baseline,
  phases: [0.1, 0.5],
  maxMinutesPerPhase: 240,
});
const RUNS = 300;
const runAll = (canary: ArmBehaviour) =>
  Array.from({ length: RUNS }, (_, i) => simulateRollout(scenario(canary), DEFAULT_POLICY, 1000 + i));

describe('the gate over simulated rollouts', () => {
  it('promotes a clean canary, with no false rollback in 300 runs', () => {
    const runs = runAll(baseline);
    expect(runs.filter((r) => r.outcome === 'rolled_back')).toEqual([]);
    expect(runs.every((r) => r.outcome === 'promoted')).toBe(true);
    // 100 canary orders at 10% of 40/min take 25 min, then the 50% phase its 10-minute soak.
    expect(Math.max(...runs.map((r) => r.minutes))).toBeLessThanOrEqual(45);
  });

  it('rolls back a canary whose CreateShipment fails 5% of orders, on its own, almost always before 100%', () => {
    const runs = runAll({ ...baseline, failure: baseline.failure + 0.05 });
    const rolledBack = runs.filter((r) => r.outcome === 'rolled_back');
    expect(rolledBack.length / RUNS).toBeGreaterThanOrEqual(0.85);
    expect(rolledBack.every((r) => r.decision?.reason === 'FAILURE_REGRESSION')).toBe(true);
  });

  it('rolls back a canary that adds 3 s to every order within minutes, every time', () => {
    const runs = runAll({ ...baseline, slow: 0.99 });
    expect(
      runs.every((r) => r.outcome === 'rolled_back' && r.decision?.reason === 'LATENCY_REGRESSION'),
    ).toBe(true);
    expect(Math.max(...runs.map((r) => r.minutes))).toBeLessThanOrEqual(5);
  });

  it('rolls back in the minute the first invariant breach is seen', () => {
    const runs = runAll({ ...baseline, breach: 0.05 });
    expect(runs.every((r) => r.outcome === 'rolled_back' && r.decision?.reason === 'INVARIANT_BREACH')).toBe(
      true,
    );
  });

  it('repeats exactly with the same seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(simulateRollout(scenario(baseline), DEFAULT_POLICY, 3)).toEqual(
      simulateRollout(scenario(baseline), DEFAULT_POLICY, 3),
    );
  });
});
