// Runs before `npm start`, `npm test` and `npm run setup`, on whatever Node the machine has (plain
// CommonJS on purpose: the project's own Node 24 arrives with `npm ci`, and TypeScript needs it).
// A fresh clone gets its dependencies, including Node 24, so the two README commands work alone.
'use strict';
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');

const root = join(__dirname, '..');
const installed = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const node24 = join(root, 'node_modules', '.bin', 'node');

const stale =
  !existsSync(installed) || !existsSync(node24) || statSync(lock).mtimeMs > statSync(installed).mtimeMs;
if (stale) {
  console.log('[bootstrap] installing dependencies (npm ci), including Node.js 24 from the npm registry');
  // --loglevel=error: under the machine's older Node, npm warns EBADENGINE once per package that wants
  // Node 24 (the very Node this install brings); a screen of those would hide what matters. Errors still show.
  execFileSync('npm', ['ci', '--no-fund', '--no-audit', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  console.log('[bootstrap] dependencies installed');
}
