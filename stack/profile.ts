// Which Temporal the stack runs: the CLI's dev server (`dev`, the default) or the clustered server on
// PostgreSQL (`cluster`, stack/cluster/). `npm start -- --profile cluster` chooses it; the choice is
// recorded in the state folder so `status`, `stop`, `logs`, the load tool and a plain `npm start` of the
// running stack see the same components.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { statePaths } from '../platform/paths.ts';

export const TEMPORAL_PROFILES = ['dev', 'cluster'] as const;
export type TemporalProfile = (typeof TEMPORAL_PROFILES)[number];

export class ProfileError extends Error {
  readonly code: 'UNKNOWN_PROFILE' | 'PROFILE_MISMATCH';
  constructor(code: ProfileError['code'], message: string) {
    super(message);
    this.name = 'ProfileError';
    this.code = code;
  }
}

const recordFile = (): string => join(statePaths.run, 'temporal-profile');

function asProfile(value: string): TemporalProfile {
  if ((TEMPORAL_PROFILES as readonly string[]).includes(value)) return value as TemporalProfile;
  throw new ProfileError(
    'UNKNOWN_PROFILE',
    `unknown profile "${value}": use ${TEMPORAL_PROFILES.map((p) => `--profile ${p}`).join(' or ')}`,
  );
}

/** `--profile cluster` / `--profile=cluster` among the CLI's arguments; undefined when absent. */
export function profileFromArgs(args: readonly string[]): TemporalProfile | undefined {
  const i = args.findIndex((a) => a === '--profile' || a.startsWith('--profile='));
  if (i < 0) return undefined;
  const arg = args[i]!;
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[i + 1];
  if (value === undefined || value === '' || value.startsWith('-'))
    throw new ProfileError('UNKNOWN_PROFILE', '--profile needs a value: dev or cluster');
  return asProfile(value);
}

/** The profile the stack was last started with (`dev` when never recorded). */
export function recordedProfile(): TemporalProfile {
  const file = recordFile();
  if (!existsSync(file)) return 'dev';
  return asProfile(readFileSync(file, 'utf8').trim());
}

export function recordProfile(profile: TemporalProfile): void {
  mkdirSync(statePaths.run, { recursive: true });
  writeFileSync(recordFile(), `${profile}\n`);
}

/**
 * What `npm start` runs: the profile asked for; without one, the running stack's, else `dev`. Asking a
 * running stack for the other profile is an error: its programs would be swapped under running clients.
 */
export function profileToStart(
  requested: TemporalProfile | undefined,
  running: boolean,
  recorded: TemporalProfile,
): TemporalProfile {
  if (!running) return requested ?? 'dev';
  if (requested !== undefined && requested !== recorded)
    throw new ProfileError(
      'PROFILE_MISMATCH',
      `the stack is running with --profile ${recorded}: run \`npm stop\` first to start --profile ${requested}`,
    );
  return recorded;
}
