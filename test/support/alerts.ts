// Helpers of the alerts tests: the pinned promtool/amtool from the tool cache, running them, reading the
// rules and the docs. No test here needs the stack; they need only `npm run setup` to have run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { tools, type Tool } from '../../stack/tools.ts';
import { PortTakenError, saysAddressInUse, withFreePort } from './ports.ts';
import { eventually } from './stack.ts';

export const alertsDir = join(import.meta.dirname, '..', '..', 'alerts');
export const promtoolTestsDir = join(alertsDir, 'tests');
export const runbooksPath = join(alertsDir, 'runbooks.md');
export const readmePath = join(alertsDir, 'README.md');
export const templatePath = join(alertsDir, 'alertmanager.template.yml');

/** A binary of a pinned tool; fails with the command that installs it rather than skipping. */
export function requireBinary<B extends string>(tool: Tool<B>, bin: B): string {
  const path = tool.bins[bin];
  if (!existsSync(path)) {
    throw new Error(
      `${bin} ${tool.version} is not installed (${path}); install it with \`npm run setup -- ${tool.name}\``,
    );
  }
  return path;
}

export interface RunResult {
  readonly status: number | null;
  /** stdout and stderr together, for assertion messages. */
  readonly output: string;
  readonly stdout: string;
}

export function run(cmd: string, args: readonly string[], cwd = alertsDir): RunResult {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (res.error) throw res.error;
  return { status: res.status, output: `${res.stdout}${res.stderr}`, stdout: res.stdout };
}

// js-yaml comes with eslint (a pinned devDependency) and has no bundled types: load it untyped.
const jsYaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
export const loadYaml = (text: string): unknown => jsYaml.load(text);

export interface Rule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}
export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Rule[];
}
export type AlertRule = Rule & { readonly alert: string; readonly labels: Readonly<Record<string, string>> };

export function readRules(path: string): readonly RuleGroup[] {
  return (loadYaml(readFileSync(path, 'utf8')) as { groups: RuleGroup[] }).groups;
}

export const alertRules = (groups: readonly RuleGroup[]): AlertRule[] =>
  groups.flatMap((g) => g.rules).filter((r): r is AlertRule => r.alert !== undefined);

export const promtoolTestFiles = (): string[] =>
  readdirSync(promtoolTestsDir)
    .filter((f) => f.endsWith('.yml'))
    .sort();

/** GitHub's anchor for a Markdown heading (lower case, punctuation dropped, spaces to hyphens). */
export const headingAnchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

export const markdownAnchors = (markdown: string): Set<string> =>
  new Set([...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => headingAnchor(m[1] ?? '')));

/**
 * A private Alertmanager (the cached binary) on a free port with `config`, data under `workDir`; ready when
 * it answers /-/ready. Another port is tried when the one it was given was taken before it bound it.
 */
export async function startPrivateAlertmanager(
  config: string,
  workDir: string,
): Promise<{ readonly child: ChildProcess; readonly url: string }> {
  const binary = requireBinary(tools.alertmanager, 'alertmanager');
  return withFreePort(async (port) => {
    const logFile = join(workDir, `alertmanager-${port}.log`);
    const log = openSync(logFile, 'a');
    const child = spawn(
      binary,
      [
        `--config.file=${config}`,
        `--storage.path=${join(workDir, `alertmanager-data-${port}`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=', // no gossip port: a single instance
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log); // the child has its own copy
    const url = `http://127.0.0.1:${port}`;
    try {
      const state = await eventually(
        async () =>
          child.exitCode !== null || child.signalCode !== null
            ? 'exited'
            : (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok
              ? 'ready'
              : undefined,
        20_000,
        'Alertmanager ready',
      );
      if (state === 'exited') {
        const output = readFileSync(logFile, 'utf8');
        if (saysAddressInUse(output)) throw new PortTakenError(port, output);
        throw new Error(`alertmanager exited with ${child.exitCode ?? child.signalCode}:\n${output}`);
      }
    } catch (err) {
      child.kill('SIGTERM');
      throw err;
    }
    return { child, url };
  });
}
