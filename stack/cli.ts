// Entry point of `npm run setup|start|stop|status|logs|test`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { missingTools, setup } from './setup.ts';
import { formatTable, stackIsReady, stackStatus, startStack, stopStack } from './stack.ts';
import { logFileOf, supervisorRunning } from './supervisor.ts';
import { profileFromArgs, profileToStart, recordedProfile } from './profile.ts';
import { repoRoot, stateDir, statePaths } from '../platform/paths.ts';
import { tail } from './exec.ts';

const REQUIRED_NODE_MAJOR = 24;

function assertNode(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < REQUIRED_NODE_MAJOR) {
    console.error(
      `orderflow needs Node.js ${REQUIRED_NODE_MAJOR}; this is ${process.version}. Run it through npm ` +
        '(npm start, npm test), which puts the Node 24 from node_modules/.bin first on PATH; run `npm install` first.',
    );
    process.exit(1);
  }
}

async function ensureTools(): Promise<void> {
  if (missingTools().length === 0) return;
  const { ok, failed } = await setup();
  if (!ok) throw new Error(`setup failed for: ${failed.join(', ')}`);
}

async function start(args: readonly string[]): Promise<void> {
  const profile = profileToStart(profileFromArgs(args), await supervisorRunning(), recordedProfile());
  await ensureTools();
  const started = Date.now();
  await startStack(console.log, profile);
  console.log(
    `\norderflow stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s (state and logs: ${stateDir})\n`,
  );
  console.log(formatTable(await stackStatus()));
  console.log('\nnpm run status | npm run logs [-- <component>] | npm stop');
}

async function status(): Promise<boolean> {
  const statuses = await stackStatus();
  console.log(formatTable(statuses));
  for (const s of statuses.filter((s) => !s.ready)) console.log(`${s.name}: ${s.detail}`);
  return statuses.every((s) => s.ready);
}

function logs(args: readonly string[]): void {
  const follow = args.includes('--follow') || args.includes('-f');
  const names = args.filter((a) => !a.startsWith('-'));
  const available = existsSync(statePaths.logs)
    ? readdirSync(statePaths.logs)
        .filter((f) => f.endsWith('.log'))
        .map((f) => f.slice(0, -4))
    : [];
  const chosen = names.length > 0 ? names : available;
  const unknown = chosen.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    console.error(
      `no log for ${unknown.join(', ')}; available: ${available.join(', ') || 'none (stack never started)'}`,
    );
    process.exitCode = 1;
    return;
  }
  if (follow) {
    spawn('tail', ['-n', '20', '-F', ...chosen.map(logFileOf)], { stdio: 'inherit' });
    return;
  }
  for (const name of chosen)
    console.log(
      `==> ${name} (${logFileOf(name)}) <==\n${tail(logFileOf(name), names.length > 0 ? 200 : 15)}\n`,
    );
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', cwd: repoRoot, env: { ...process.env, ...env } });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const bin = (name: string): string => join(repoRoot, 'node_modules', '.bin', name);

/** The folders the layering check reads: every folder with source in it. */
const LAYERED = [
  'platform',
  'observability',
  'contracts',
  'workflows',
  'services',
  'consumers',
  'events',
  'order-store',
  'stack',
  'tools',
  'alerts',
  'test',
] as const;

/**
 * `npm test`: static checks, then every test against the real stack. Starts the stack when it is not
 * running and stops it afterwards; a stack that was already up is left as it was.
 */
async function test(): Promise<number> {
  for (const [name, cmd, args] of [
    ['typecheck', bin('tsc'), ['--noEmit']],
    ['lint', bin('eslint'), ['.']],
    // Imports run one way (README "Layout"; the rules are in .dependency-cruiser.cjs).
    ['layers', bin('depcruise'), ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...LAYERED]],
    ['format', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  ] as const) {
    console.log(`[test] ${name}`);
    const code = await run(cmd, args);
    if (code !== 0) {
      console.error(`[test] ${name} failed`);
      return code;
    }
  }
  await ensureTools();
  const wasReady = await stackIsReady();
  if (!wasReady) {
    console.log('[test] starting the stack');
    await startStack();
  }
  const totals = { passed: 0, failed: 0, skipped: 0 };
  try {
    let code = 0;
    // Phase 1: everything but test/chaos; phase 2: test/chaos alone (see vitest.config.ts).
    for (const phase of ['main', 'chaos'] as const) {
      const report = join(stateDir, `vitest-report-${phase}.json`);
      rmSync(report, { force: true });
      console.log(
        `[test] vitest, ${phase === 'main' ? 'all but test/chaos' : 'test/chaos (network faults), alone'}`,
      );
      const phaseCode = await run(
        bin('vitest'),
        ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
        { ORDERFLOW_TEST_PHASE: phase },
      );
      code ||= phaseCode;
      if (existsSync(report)) {
        const r = JSON.parse(readFileSync(report, 'utf8')) as {
          numPassedTests: number;
          numFailedTests: number;
          numPendingTests: number;
          numFailedTestSuites?: number;
        };
        totals.passed += r.numPassedTests;
        totals.failed += r.numFailedTests;
        totals.skipped += r.numPendingTests;
        // A file can fail with every test passed (an error in a hook): the run fails, so the line says so.
        if (phaseCode !== 0 && r.numFailedTests === 0)
          totals.failed += Math.max(1, r.numFailedTestSuites ?? 0);
      } else if (phaseCode !== 0) {
        totals.failed += 1; // the runner died before reporting: count it, never hide it
      }
    }
    // The plain closing line CI reads, whatever the runner's own format.
    console.log(`\nvitest: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
    return code;
  } finally {
    if (!wasReady) await stopStack();
  }
}

async function main(): Promise<void> {
  assertNode();
  const [command = 'status', ...args] = process.argv.slice(2);
  switch (command) {
    case 'setup': {
      const { ok } = await setup(args);
      process.exitCode = ok ? 0 : 1;
      return;
    }
    case 'start':
      return start(args);
    case 'stop':
      return stopStack();
    case 'status':
      process.exitCode = (await status()) ? 0 : 3;
      return;
    case 'logs':
      return logs(args);
    case 'test':
      process.exitCode = await test();
      return;
    default:
      console.error(`unknown command ${command}: use setup | start | stop | status | logs | test`);
      process.exitCode = 2;
  }
}

main().catch((err: unknown) => {
  console.error(`[orderflow] ${(err as Error).message}`);
  process.exitCode = 1;
});
