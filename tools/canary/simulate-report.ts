// `canary simulate`: the gate's time to each decision at the ADR's low traffic, from seeded simulated rollouts
// (gate/simulate.ts): how often each scenario ends promoted, rolled back or stuck, and after how many minutes.
import { quantileSorted } from 'simple-statistics';
import type { GatePolicy } from './gate/decide.ts';
import { simulateRollout, type ArmBehaviour } from './gate/simulate.ts';

export interface SimulationOptions {
  readonly runs: number;
  readonly seed: number;
  readonly ordersPerMinute: number;
  readonly policy: GatePolicy;
  /** The baseline's rates: technical failures and slow orders. */
  readonly baseline: ArmBehaviour;
}

/** The scenarios: a clean canary, CreateShipment failing 5%, +3 s on every order, a broken invariant. */
export const scenarios = (b: ArmBehaviour): Readonly<Record<string, ArmBehaviour>> => ({
  clean: b,
  'failures +5%': { ...b, failure: b.failure + 0.05 },
  '+3 s latency': { ...b, slow: 0.99 },
  'invariant breach 1%': { ...b, breach: 0.01 },
});

export interface ScenarioSummary {
  readonly scenario: string;
  readonly runs: number;
  readonly promoted: number;
  readonly rolledBack: number;
  readonly stuck: number;
  /** Minutes to the outcome that ended most runs: median and 95th percentile. */
  readonly medianMinutes: number;
  readonly p95Minutes: number;
}

export function simulateScenarios(o: SimulationOptions): ScenarioSummary[] {
  return Object.entries(scenarios(o.baseline)).map(([scenario, canary]) => {
    const runs = Array.from({ length: o.runs }, (_, i) =>
      simulateRollout(
        {
          ordersPerMinute: o.ordersPerMinute,
          canary,
          baseline: o.baseline,
          phases: [0.1, 0.5],
          maxMinutesPerPhase: 240,
        },
        o.policy,
        o.seed + i,
      ),
    );
    const count = (k: string) => runs.filter((r) => r.outcome === k).length;
    const main = count('rolled_back') > count('promoted') ? 'rolled_back' : 'promoted';
    const minutes = runs
      .filter((r) => r.outcome === main)
      .map((r) => r.minutes)
      .sort((a, b) => a - b);
    return {
      scenario,
      runs: o.runs,
      promoted: count('promoted'),
      rolledBack: count('rolled_back'),
      stuck: count('stuck'),
      medianMinutes: minutes.length ? quantileSorted(minutes, 0.5) : NaN,
      p95Minutes: minutes.length ? quantileSorted(minutes, 0.95) : NaN,
    };
  });
}

export function renderSimulation(rows: readonly ScenarioSummary[], o: SimulationOptions): string {
  const head = `${o.runs} simulated rollouts per scenario at ${o.ordersPerMinute} orders/min (seed ${o.seed}); baseline ${o.baseline.failure * 100}% failed, ${o.baseline.slow * 100}% slow; alpha ${o.policy.alpha}, soak ${o.policy.soakMs / 60_000} min, min ${o.policy.minCanaryOrders} canary orders per phase`;
  const table = rows.map(
    (r) =>
      `${r.scenario.padEnd(20)} promoted ${String(r.promoted).padStart(4)}  rolled back ${String(r.rolledBack).padStart(4)}  stuck ${String(r.stuck).padStart(3)}  minutes to ${r.rolledBack > r.promoted ? 'rollback' : 'promotion'}: median ${r.medianMinutes}, p95 ${r.p95Minutes}`,
  );
  return [head, ...table].join('\n');
}
