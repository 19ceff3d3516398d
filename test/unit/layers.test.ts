// The layering check (`npm run layers`, a step of `npm test`) must be able to fail: on a small tree with
// one wrong arrow of each kind, dependency-cruiser with the project's rules names every one of them.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/paths.ts';

const depcruise = join(repoRoot, 'node_modules', '.bin', 'depcruise');

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'orderflow-layers-'));
  copyFileSync(join(repoRoot, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  copyFileSync(join(repoRoot, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const check = (dir: string, ...folders: string[]) =>
  spawnSync(depcruise, ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...folders], {
    cwd: dir,
    encoding: 'utf8',
  });

describe('the layering check', () => {
  it('when every import runs down the layers, then it passes', () => {
    const dir = tree({
      'platform/ports.ts': 'export const port = 1;\n',
      'observability/metrics.ts': "import { port } from '../platform/ports.ts';\nexport const m = port;\n",
      'contracts/order.ts': 'export type Order = { id: string };\n',
      'services/api/app.ts':
        "import { m } from '../../observability/metrics.ts';\nimport type { Order } from '../../contracts/order.ts';\nexport const o: Order = { id: String(m) };\n",
      'services/api/main.ts': "import { o } from './app.ts';\nexport default o;\n",
      'tools/cli.ts': "import { o } from '../services/api/app.ts';\nexport default o;\n",
      'test/a.test.ts': "import x from '../tools/cli.ts';\nexport default x;\n",
    });
    const result = check(dir, 'platform', 'observability', 'contracts', 'services', 'tools', 'test');
    expect(result.stdout + result.stderr).not.toMatch(/error/);
    expect(result.status).toBe(0);
  });

  it('when a lower layer imports a higher one, a cycle exists, or source imports a test, then it fails naming each', () => {
    const dir = tree({
      'platform/ports.ts': "import { s } from '../stack/apps.ts';\nexport const port = s;\n",
      'stack/apps.ts': 'export const s = 1;\n',
      'observability/metrics.ts':
        "import type { Order } from '../contracts/order.ts';\nexport type M = Order;\n",
      'contracts/order.ts': 'export type Order = { id: string };\n',
      'services/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'services/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
      'services/c.ts': "import { h } from '../test/support/helper.ts';\nexport const c = h;\n",
      'services/d.ts': "import m from './api/main.ts';\nexport const d = m;\n",
      'services/api/main.ts': 'export default 1;\n',
      'test/support/helper.ts': 'export const h = 1;\n',
      'loose/e.ts': "import type { Order } from '../contracts/order.ts';\nexport type E = Order;\n",
    });
    const result = check(dir, 'platform', 'observability', 'contracts', 'services', 'stack', 'test', 'loose');
    const out = result.stdout + result.stderr;
    expect(result.status).not.toBe(0);
    expect(out).toContain('platform-not-to-entry-points-and-tools: platform/ports.ts → stack/apps.ts');
    expect(out).toContain('observability-not-to-contracts: observability/metrics.ts → contracts/order.ts');
    expect(out).toMatch(/no-circular: services\/(a|b)\.ts →/);
    expect(out).toContain('source-not-to-tests: services/c.ts → test/support/helper.ts');
    expect(out).toContain('components-not-to-entry-points-and-tools: services/d.ts → services/api/main.ts');
    expect(out).toContain('everything-in-a-layer: loose/e.ts');
  });
});
