// Where things live: the checkout, the tool cache (outside the checkout, shared by every clone on the
// machine) and the stack's state folder (inside the checkout, git-ignored).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..');

/** Built tools, keyed by version: `<cache>/<tool>-<version>/`. */
export const cacheDir = resolve(
  process.env.ORDERFLOW_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'orderflow'),
);

/** Everything a running stack writes: data, rendered configs, logs, the supervisor socket. */
export const stateDir = resolve(process.env.ORDERFLOW_STATE_DIR ?? join(repoRoot, '.orderflow'));

export const statePaths = {
  data: join(stateDir, 'data'),
  logs: join(stateDir, 'logs'),
  config: join(stateDir, 'config'),
  run: join(stateDir, 'run'),
  /** Prometheus file-based discovery: services write `<job>.json` here to be scraped. */
  scrapeTargets: join(stateDir, 'config', 'prometheus', 'targets'),
} as const;
