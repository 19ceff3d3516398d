// `npm run compare -- <scenario> [--rate N/h] [--duration D] [--drain D] [--legacy-share S] [--mix M] [--run-id X]`
// parsed and checked once; a bad value is a usage error (exit 64) naming it.
import { parseArgs } from 'node:util';
import { isMixName, type MixName } from '../load/mix.ts';
import { parseDuration, parseRate } from '../load/profiles.ts';
import { compareScenarios, scenarioFor, type CompareScenario } from './scenarios.ts';

export const USAGE = `usage: npm run compare -- <scenario> [--rate N/h] [--duration D] [--drain D] [--legacy-share S] [--mix M] [--run-id X]
Sends the same load to both pipelines at once (order-api: the saga; legacy-order-service: ADR-0031's
synchronous pipeline) with the scenario's fault on, then reports failed checkouts, orphaned payments and
latency for each. Run it under the stack lock: flock /tmp/orderflow-stack.lock npm run compare -- …
  scenarios        october-incident (inventory +3 s), baseline (no fault), or a chaos experiment's name
  --rate N/h       orders per hour in total, split between the pipelines (default 8000/h, the October peak)
  --duration D     how long orders are sent (default 3m)
  --drain D        how long to wait after the last order for every order to end (default 90s)
  --legacy-share S share of the orders sent to the legacy pipeline, 0.1..0.9 (default 0.5)
  --mix M          happy (default: every failure is the fault's) or realistic (declines, reviews)
  --run-id X       the run id (default compare-<scenario>-<time>); prefixes every Idempotency-Key
exit codes: 0 the saga held (< 1% failed checkouts, no orphaned payment, double charge or lost order),
1 it did not, 2 invalid run (stack not ready, dropped iterations, a fault left over, too few orders), 64 usage`;

export interface CompareOptions {
  readonly scenario: CompareScenario;
  readonly ratePerHour: number;
  readonly seconds: number;
  readonly drainSeconds: number;
  readonly legacyShare: number;
  readonly mix: MixName;
  readonly runId: string;
}

const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,60}$/;

export class UsageError extends Error {}

export function parseCompareArgs(argv: readonly string[], now = new Date()): CompareOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        rate: { type: 'string', default: '8000/h' },
        duration: { type: 'string', default: '3m' },
        drain: { type: 'string', default: '90s' },
        'legacy-share': { type: 'string', default: '0.5' },
        mix: { type: 'string', default: 'happy' },
        'run-id': { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const name = positionals[0];
  if (!name || positionals.length > 1) throw new UsageError('name exactly one scenario');
  const scenario = scenarioFor(name);
  if (!scenario)
    throw new UsageError(
      `unknown scenario ${name} (one of: ${compareScenarios()
        .map((s) => s.name)
        .join(', ')})`,
    );
  const check = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw new UsageError(`${what}: ${(err as Error).message}`);
    }
  };
  const ratePerHour = check('--rate', () => parseRate(values.rate));
  const seconds = check('--duration', () => parseDuration(values.duration));
  const drainSeconds = check('--drain', () => parseDuration(values.drain));
  if (seconds < 10) throw new UsageError('--duration: at least 10s');
  const legacyShare = Number(values['legacy-share']);
  if (!Number.isFinite(legacyShare) || legacyShare < 0.1 || legacyShare > 0.9)
    throw new UsageError(`--legacy-share: ${values['legacy-share']} is not between 0.1 and 0.9`);
  if (!isMixName(values.mix)) throw new UsageError(`--mix: ${values.mix} is not happy or realistic`);
  const stamp = now.toISOString().replaceAll(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const runId = values['run-id'] ?? `compare-${scenario.name}-${stamp}`;
  if (!runIdPattern.test(runId))
    throw new UsageError(`--run-id: ${runId} (letters, digits, _ and -, at most 61)`);
  return { scenario, ratePerHour, seconds, drainSeconds, legacyShare, mix: values.mix, runId };
}
