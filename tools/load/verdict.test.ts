import { describe, expect, it } from 'vitest';
import { judge, type RunMeasurements } from './verdict.ts';
import { profiles } from './profiles.ts';

const thresholds = profiles.target.thresholds;

/** 1,000 orders sent: 975 completed, 25 declined, nothing technical, fast. */
const good: RunMeasurements = {
  stackReady: true,
  droppedIterations: 0,
  outcomes: { sent: 1000, notAccepted: 0, completed: 975, declined: 25, failed: 0, running: 0, missing: 0 },
  acceptP99Ms: 45,
  acceptToTerminalP99Ms: 900,
};

const gating = (m: RunMeasurements) =>
  judge(m, thresholds)
    .checks.filter((c) => c.gating && !c.ok)
    .map((c) => c.name);

describe('the load verdict', () => {
  it('when every order ended, declines included, within the latency bars, then the run passes (exit 0)', () => {
    const v = judge(good, thresholds);
    expect(v).toMatchObject({ status: 'pass', exitCode: 0, technicalFailures: 0, invalidReasons: [] });
  });

  it('when 1.5% of the orders failed technically, then the run fails (exit 1) on the ADR objective', () => {
    const v = judge({ ...good, outcomes: { ...good.outcomes, completed: 960, failed: 15 } }, thresholds);
    expect(v.status).toBe('fail');
    expect(v.exitCode).toBe(1);
    expect(v.technicalFailureRate).toBeCloseTo(0.015);
    expect(gating({ ...good, outcomes: { ...good.outcomes, completed: 960, failed: 15 } })).toEqual([
      'technical failures (ADR)',
    ]);
  });

  it('when declines are 3% (a business decision), then they are not technical failures and the run passes', () => {
    const v = judge({ ...good, outcomes: { ...good.outcomes, completed: 970, declined: 30 } }, thresholds);
    expect(v.status).toBe('pass');
    expect(v.technicalFailures).toBe(0);
  });

  it('when one order is still running after the drain, then the run fails, though 0.1% is under the ADR rate', () => {
    const m = { ...good, outcomes: { ...good.outcomes, completed: 974, running: 1 } };
    const v = judge(m, thresholds);
    expect(v.status).toBe('fail');
    expect(v.exitCode).toBe(1);
    expect(gating(m)).toEqual(['orders still running after the drain']);
  });

  it('when k6 dropped iterations, then the run is invalid (exit 2), not passed, however good the rest', () => {
    const v = judge({ ...good, droppedIterations: 3 }, thresholds);
    expect(v.status).toBe('invalid');
    expect(v.exitCode).toBe(2);
    expect(v.invalidReasons.join()).toMatch(/dropped 3 iterations/);
  });

  it('when the stack was not ready, then the run is invalid (exit 2)', () => {
    const v = judge({ ...good, stackReady: false, stackProblem: 'order-api down' }, thresholds);
    expect(v).toMatchObject({ status: 'invalid', exitCode: 2 });
    expect(v.invalidReasons[0]).toMatch(/order-api down/);
  });

  it('when accept p99 or accept→terminal p99 is over its bar, then the run fails', () => {
    expect(gating({ ...good, acceptP99Ms: 201 })).toEqual(['accept p99 (POST /orders → 202)']);
    expect(gating({ ...good, acceptToTerminalP99Ms: 2500 })).toEqual(['accept → terminal p99']);
    expect(judge({ ...good, acceptToTerminalP99Ms: undefined }, thresholds).status).toBe('fail');
  });

  it('when a 202 order is missing from the store or a submission was not accepted, then they count as technical', () => {
    const m = { ...good, outcomes: { ...good.outcomes, completed: 970, missing: 2, notAccepted: 3 } };
    const v = judge(m, thresholds);
    expect(v.technicalFailures).toBe(5);
    expect(v.status).toBe('fail'); // a lost order fails the run whatever the rate
    expect(gating(m)).toEqual(['accepted orders missing from the store']);
  });

  it('when 0.05% failed technically, then the ADR check and our 0.1% bar both hold; at 0.5% only our bar is over', () => {
    const small = judge(
      { ...good, outcomes: { ...good.outcomes, sent: 2000, completed: 1974, failed: 1 } },
      thresholds,
    );
    expect(small.status).toBe('pass');
    expect(small.checks.find((c) => c.name === 'technical failures (our bar)')?.ok).toBe(true);
    const half = judge({ ...good, outcomes: { ...good.outcomes, completed: 970, failed: 5 } }, thresholds);
    expect(half.status).toBe('pass');
    expect(half.checks.find((c) => c.name === 'technical failures (our bar)')?.ok).toBe(false);
  });

  it('when the outcomes do not add up to the orders sent, then the reconciliation is incomplete: invalid', () => {
    const v = judge({ ...good, outcomes: { ...good.outcomes, completed: 900 } }, thresholds);
    expect(v.status).toBe('invalid');
    expect(v.invalidReasons.join()).toMatch(/925 orders accounted for, 1000 sent/);
  });
});
