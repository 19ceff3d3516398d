// `npm run drill -- …` argument parsing.
import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';

describe('drill arguments', () => {
  it('when an alert is named with options, then it runs that drill with them', () => {
    expect(parseArgs(['KafkaConsumerLagHigh', '--json', '--factor', '10', '--timeout', '90'])).toEqual({
      command: 'run',
      alert: 'KafkaConsumerLagHigh',
      json: true,
      factor: 10,
      timeoutMs: 90_000,
    });
  });

  it('when --list or --cleanup is given, then that is the command', () => {
    expect(parseArgs(['--list'])).toEqual({ command: 'list' });
    expect(parseArgs(['--cleanup'])).toEqual({ command: 'cleanup' });
  });

  it('when the arguments are wrong, then usage comes back with the reason', () => {
    expect(parseArgs([])).toEqual({ command: 'usage', error: 'which alert?' });
    expect(parseArgs(['A', 'B'])).toEqual({ command: 'usage', error: 'one alert at a time' });
    expect(parseArgs(['A', '--factor', 'x'])).toEqual({
      command: 'usage',
      error: '--factor needs a positive number',
    });
    expect(parseArgs(['A', '--fast'])).toEqual({ command: 'usage', error: 'unknown option --fast' });
    expect(parseArgs(['--help'])).toEqual({ command: 'usage' });
  });
});
