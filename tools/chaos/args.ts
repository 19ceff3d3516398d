// `npm run chaos -- <experiment> | --list | --all | --cleanup [--rate N/h] [--duration D] [--fault D] [--json]`
import { parseArgs as parseNodeArgs } from 'node:util';
import { parseDuration, parseRate } from '../load/profiles.ts';
import { experimentFor, experiments } from './scenarios.ts';

export const USAGE = `usage: npm run chaos -- <experiment> | --list | --all | --cleanup [options]
  (run it under the stack lock: flock /tmp/orderflow-stack.lock npm run chaos -- …)
experiments: ${experiments.map((e) => e.name).join(', ')}
  --rate N/h      background load (default: the experiment's, the load tool's normal 2400/h)
  --duration D    background load length (default: the experiment's)
  --fault D       how long the fault stays (default: the experiment's)
  --json          print each result as JSON
  --cleanup       undo what a killed experiment left behind (its journal), then check the stack
exit codes: 0 pass, 1 fail, 2 invalid, 3 cleanup incomplete, 64 usage`;

export type Command =
  | { readonly command: 'usage'; readonly error?: string }
  | { readonly command: 'list' }
  | { readonly command: 'cleanup' }
  | {
      readonly command: 'run';
      readonly names: readonly string[];
      readonly ratePerHour?: number;
      readonly loadSeconds?: number;
      readonly faultSeconds?: number;
      readonly json: boolean;
    };

export function parseArgs(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseNodeArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        list: { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        cleanup: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        rate: { type: 'string' },
        duration: { type: 'string' },
        fault: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    return { command: 'usage', error: `USAGE: ${(err as Error).message}` };
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'usage' };
  if (values.list) return { command: 'list' };
  if (values.cleanup) return { command: 'cleanup' };
  if (values.all && positionals.length > 0)
    return { command: 'usage', error: 'USAGE: --all runs every experiment; name none' };
  if (!values.all && positionals.length !== 1)
    return { command: 'usage', error: 'USAGE: name one experiment, or --all, --list, --cleanup' };
  const unknown = positionals.filter((n) => !experimentFor(n));
  if (unknown.length > 0)
    return { command: 'usage', error: `UNKNOWN_EXPERIMENT: ${unknown.join(', ')} (npm run chaos -- --list)` };
  try {
    const rate = values.rate === undefined ? undefined : parseRate(values.rate);
    const duration = values.duration === undefined ? undefined : parseDuration(values.duration);
    const fault = values.fault === undefined ? undefined : parseDuration(values.fault);
    if (duration !== undefined && fault !== undefined && fault + 10 > duration)
      return {
        command: 'usage',
        error: `USAGE: the fault (${fault} s) must end at least 10 s before the load (${duration} s)`,
      };
    if (fault !== undefined && fault < 5)
      return { command: 'usage', error: 'USAGE: --fault must be at least 5s' };
    return {
      command: 'run',
      names: values.all ? experiments.map((e) => e.name) : positionals,
      ...(rate !== undefined ? { ratePerHour: rate } : {}),
      ...(duration !== undefined ? { loadSeconds: duration } : {}),
      ...(fault !== undefined ? { faultSeconds: fault } : {}),
      json: values.json,
    };
  } catch (err) {
    return { command: 'usage', error: `USAGE: ${(err as Error).message}` };
  }
}
