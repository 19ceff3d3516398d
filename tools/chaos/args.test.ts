import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';

describe('npm run chaos arguments', () => {
  it('when one experiment is named with overrides, then they are parsed', () => {
    expect(parseArgs(['payment-brownout', '--rate', '8000/h', '--duration', '3m', '--fault', '90s'])).toEqual(
      {
        command: 'run',
        names: ['payment-brownout'],
        ratePerHour: 8000,
        loadSeconds: 180,
        faultSeconds: 90,
        json: false,
      },
    );
  });

  it('when --all is given, then every experiment runs, in the table order', () => {
    const cmd = parseArgs(['--all']);
    expect(cmd.command === 'run' && cmd.names.length).toBeGreaterThanOrEqual(3);
  });

  it('when the input is bad, then usage with a stable code', () => {
    const errorOf = (argv: string[]): string => {
      const cmd = parseArgs(argv);
      return cmd.command === 'usage' ? (cmd.error ?? '') : `not usage: ${cmd.command}`;
    };
    expect(errorOf(['no-such'])).toMatch(/^UNKNOWN_EXPERIMENT: no-such/);
    expect(errorOf([])).toMatch(/^USAGE:/);
    expect(errorOf(['--all', 'payment-brownout'])).toMatch(/^USAGE:/);
    expect(errorOf(['payment-brownout', '--rate', 'fast'])).toMatch(/^USAGE: not a rate/);
    expect(errorOf(['payment-brownout', '--duration', '60s', '--fault', '55s'])).toMatch(
      /must end at least 10 s before/,
    );
    expect(errorOf(['--bogus'])).toMatch(/^USAGE:/);
  });

  it('when --list or --cleanup is given, then that command', () => {
    expect(parseArgs(['--list'])).toEqual({ command: 'list' });
    expect(parseArgs(['--cleanup'])).toEqual({ command: 'cleanup' });
  });
});
