// `npm run dashboards`: writes the Grafana provisioning files (datasources, dashboard provider, dashboard
// JSON) into observability/grafana/provisioning/. The JSON is committed; dashboards.test.ts fails when it
// differs from what this writes. Dashboard files no dashboard produces any more are removed.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { provisioningDir, provisioningFiles } from './provisioning.ts';

export async function generate(dir: string = provisioningDir): Promise<string[]> {
  const files = await provisioningFiles();
  mkdirSync(join(dir, 'dashboards'), { recursive: true });
  for (const stale of readdirSync(join(dir, 'dashboards'))) {
    if (stale.endsWith('.json') && !files.has(`dashboards/${stale}`)) rmSync(join(dir, 'dashboards', stale));
  }
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return [...files.keys()];
}

if (import.meta.main) {
  for (const path of await generate())
    console.log(`wrote ${join('observability/grafana/provisioning', path)}`);
}
