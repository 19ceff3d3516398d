import { describe, expect, it } from 'vitest';
import { measureMachineSpeed } from './machine-speed.ts';

describe('measureMachineSpeed', () => {
  it('measures more CPU for a bigger inference', () => {
    const small = measureMachineSpeed(3, 200);
    const big = measureMachineSpeed(3, 6_000);
    expect(small).toMatchObject({ iterations: 200, runs: 3 });
    expect(small.fraudInferenceMs).toBeGreaterThan(0);
    expect(big.fraudInferenceMs).toBeGreaterThan(small.fraudInferenceMs);
  });

  it('refuses a run count that is not a positive integer', () => {
    expect(() => measureMachineSpeed(0)).toThrow(/positive integer/);
    expect(() => measureMachineSpeed(1.5)).toThrow(/positive integer/);
  });
});
