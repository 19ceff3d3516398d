// How fast this machine is, in a unit every report can be compared by: the CPU time of one fraud-service
// inference at its default size (services/fraud-service/model.ts), measured in this process just before the
// run. CPU-ms per order depend on the machine as much as on the code (the same inference takes ~30 ms on the
// machine the project was built on and ~85 ms on the one of README "Performance"), so a figure from another
// machine is compared through this one, not as an absolute.
import { median } from 'simple-statistics';
import { DEFAULT_INFERENCE_ITERATIONS, score } from '../../services/fraud-service/model.ts';

export interface MachineSpeed {
  /** Median CPU time of one inference at DEFAULT_INFERENCE_ITERATIONS, ms. */
  readonly fraudInferenceMs: number;
  readonly iterations: number;
  readonly runs: number;
}

/** CPU time (user + system) of `work`, ms: a busy neighbour slows the wall clock more than this. */
function cpuMsOf(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

export function measureMachineSpeed(runs = 9, iterations = DEFAULT_INFERENCE_ITERATIONS): MachineSpeed {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, got ${runs}`);
  const input = (i: number) => ({
    customerId: `calibration-${i}`,
    amountCents: 4_999,
    itemCount: 2,
    country: 'US',
    paymentMethod: 'pm_card_visa',
  });
  score(input(-1), iterations); // warm-up: JIT compilation is not the machine's speed
  const times = Array.from({ length: runs }, (_, i) => cpuMsOf(() => score(input(i), iterations)));
  return { fraudInferenceMs: median(times), iterations, runs };
}
