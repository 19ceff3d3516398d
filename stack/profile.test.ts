import { describe, expect, it } from 'vitest';
import { ProfileError, profileFromArgs, profileToStart } from './profile.ts';

const errorOf = (fn: () => unknown): ProfileError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProfileError) return err;
    throw err;
  }
  throw new Error('expected a ProfileError');
};

describe('profileFromArgs', () => {
  it('reads --profile <name> and --profile=<name>, and nothing when absent', () => {
    expect(profileFromArgs(['--profile', 'cluster'])).toBe('cluster');
    expect(profileFromArgs(['--profile=dev'])).toBe('dev');
    expect(profileFromArgs([])).toBeUndefined();
  });

  it('refuses an unknown or missing profile with UNKNOWN_PROFILE', () => {
    expect(errorOf(() => profileFromArgs(['--profile', 'kubernetes'])).code).toBe('UNKNOWN_PROFILE');
    expect(errorOf(() => profileFromArgs(['--profile'])).code).toBe('UNKNOWN_PROFILE');
    expect(errorOf(() => profileFromArgs(['--profile', '--verbose'])).code).toBe('UNKNOWN_PROFILE');
  });
});

describe('profileToStart', () => {
  it('starts what was asked on a stopped stack, dev when nothing was', () => {
    expect(profileToStart('cluster', false, 'dev')).toBe('cluster');
    expect(profileToStart(undefined, false, 'cluster')).toBe('dev');
  });

  it('keeps the running profile when none is asked, or the same one is', () => {
    expect(profileToStart(undefined, true, 'cluster')).toBe('cluster');
    expect(profileToStart('cluster', true, 'cluster')).toBe('cluster');
  });

  it('refuses to switch a running stack with PROFILE_MISMATCH, naming npm stop', () => {
    const err = errorOf(() => profileToStart('cluster', true, 'dev'));
    expect(err.code).toBe('PROFILE_MISMATCH');
    expect(err.message).toContain('npm stop');
  });
});
