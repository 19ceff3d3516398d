// A seeded simulation of a rollout under the gate: orders arrive at a fixed rate, the router sends each to the
// canary with the phase's share, each fails or is slow with its arm's probability, and the gate looks once a
// minute. Used by the gate's tests (no false rollback over many runs; regressions caught) and by
// `npm run canary -- simulate` for the time to each decision.
import { decide, type ArmOutcomes, type Decision, type GatePolicy } from './decide.ts';

/** How one pipeline behaves: probability that an order fails technically, that it is slow, that it breaks an invariant. */
export interface ArmBehaviour {
  readonly failure: number;
  readonly slow: number;
  readonly breach?: number;
}

export interface Scenario {
  readonly ordersPerMinute: number;
  readonly canary: ArmBehaviour;
  readonly baseline: ArmBehaviour;
  /** Canary shares of the phases the gate judges, e.g. [0.1, 0.5] (then 100%: promoted). */
  readonly phases: readonly number[];
  /** Give up after this many minutes in one phase. */
  readonly maxMinutesPerPhase: number;
}

export interface SimulatedRollout {
  readonly outcome: 'promoted' | 'rolled_back' | 'stuck';
  /** Minutes from the start of the rollout to its outcome. */
  readonly minutes: number;
  /** The phase (share) where it ended, and the decision that ended it. */
  readonly share: number;
  readonly decision: Decision | undefined;
}

/** mulberry32: a tiny seeded PRNG, so a simulated run repeats exactly (Math.random cannot be seeded). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const add = (a: ArmOutcomes, failed: boolean, slow: boolean): ArmOutcomes => ({
  orders: a.orders + 1,
  failed: a.failed + (failed ? 1 : 0),
  slow: a.slow + (slow ? 1 : 0),
});
const none: ArmOutcomes = { orders: 0, failed: 0, slow: 0 };

export function simulateRollout(scenario: Scenario, policy: GatePolicy, seed: number): SimulatedRollout {
  const random = seededRandom(seed);
  let minutes = 0;
  let carried = { failed: 1, slow: 1 };
  for (const share of scenario.phases) {
    let canary = none;
    let baseline = none;
    const breaches: { orderId: string; invariant: string; detail: string }[] = [];
    for (let m = 1; m <= scenario.maxMinutesPerPhase; m++) {
      for (let i = 0; i < scenario.ordersPerMinute; i++) {
        const toCanary = random() < share;
        const arm = toCanary ? scenario.canary : scenario.baseline;
        const failed = random() < arm.failure;
        const slow = random() < arm.slow;
        if (toCanary) {
          canary = add(canary, failed, slow);
          if (random() < (arm.breach ?? 0))
            breaches.push({ orderId: `sim-${m}-${i}`, invariant: 'orphaned-payment', detail: 'simulated' });
        } else baseline = add(baseline, failed, slow);
      }
      const decision = decide(
        { now: m * 60_000, phaseStartedAt: 0, share, outcomes: { canary, baseline }, breaches, carried },
        policy,
      );
      if (decision.verdict === 'rollback')
        return { outcome: 'rolled_back', minutes: minutes + m, share, decision };
      if (decision.verdict === 'advance') {
        minutes += m;
        carried = {
          failed: decision.evidence.failedEvidence ?? 1,
          slow: decision.evidence.slowEvidence ?? 1,
        };
        if (share === scenario.phases.at(-1)) return { outcome: 'promoted', minutes, share, decision };
        break;
      }
      if (m === scenario.maxMinutesPerPhase)
        return { outcome: 'stuck', minutes: minutes + m, share, decision };
    }
  }
  return { outcome: 'stuck', minutes, share: 0, decision: undefined };
}
