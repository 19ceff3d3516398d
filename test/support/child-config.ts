// Loads configuration the way a process does at start (module defaults are read from the environment when
// they are imported), in a child process with its own environment, and returns what each process would use.
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { repoRoot } from '../../platform/paths.ts';

export interface LoadedConfigs {
  readonly orderApi: { TEMPORAL_ADDRESS: string; ORDERS_DB: string };
  readonly workers: Record<string, { TEMPORAL_ADDRESS: string; ORDERS_DB: string }>;
}

export function configsUnder(env: Record<string, string>): LoadedConfigs {
  const url = (path: string) => pathToFileURL(join(repoRoot, path)).href;
  const script = `
    const { loadOrderApiConfig } = await import(${JSON.stringify(url('services/order-api/config.ts'))});
    const { loadWorkerConfig } = await import(${JSON.stringify(url('workflows/workers/config.ts'))});
    const pick = (c) => ({ TEMPORAL_ADDRESS: c.TEMPORAL_ADDRESS, ORDERS_DB: c.ORDERS_DB });
    const workers = Object.fromEntries(
      ['order-worker', 'fraud-worker', 'payment-worker'].map((w) => [w, pick(loadWorkerConfig(w))]),
    );
    console.log(JSON.stringify({ orderApi: pick(loadOrderApiConfig()), workers }));`;
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(TEMPORAL_|ORDERS_DB|ORDERFLOW_STATE_DIR)/.test(k)),
  );
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    env: { ...clean, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out) as LoadedConfigs;
}
