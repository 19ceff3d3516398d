// The stack's processes run under supervisord (PyPI `supervisor`): it daemonizes them, restarts what
// crashes, keeps per-process logs and offers a control API (XML-RPC over a unix socket, used here
// through supervisorctl). Readiness is ours: see probes.ts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { capture, runLogged } from './exec.ts';
import { statePaths } from '../platform/paths.ts';
import { tools } from './tools.ts';

export interface Program {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Seconds to wait after SIGTERM before SIGKILL. */
  readonly stopWaitSecs?: number;
}

export const supervisorConf = join(statePaths.config, 'supervisord.conf');
const socket = join(statePaths.run, 'supervisor.sock');
const pidFile = join(statePaths.run, 'supervisord.pid');

export const logFileOf = (program: string): string => join(statePaths.logs, `${program}.log`);

// supervisord expands %(name)s in values, so a literal % must be doubled.
const escapePercent = (s: string): string => s.replaceAll('%', '%%');
const quoteArg = (arg: string): string =>
  /^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

function programSection(p: Program): string {
  const env = Object.entries(p.env ?? {})
    .map(([k, v]) => `${k}="${escapePercent(v).replaceAll('"', '\\"')}"`)
    .join(',');
  return [
    `[program:${p.name}]`,
    `command=${escapePercent([p.command, ...p.args].map(quoteArg).join(' '))}`,
    p.cwd ? `directory=${p.cwd}` : '',
    env ? `environment=${env}` : '',
    'autostart=false',
    'autorestart=unexpected',
    'startsecs=1',
    'startretries=2',
    'stopasgroup=true',
    'killasgroup=true',
    `stopwaitsecs=${p.stopWaitSecs ?? 20}`,
    'redirect_stderr=true',
    `stdout_logfile=${logFileOf(p.name)}`,
    'stdout_logfile_maxbytes=50MB',
    'stdout_logfile_backups=1',
    '',
  ]
    .filter((line, i, all) => line !== '' || i === all.length - 1)
    .join('\n');
}

export function writeSupervisorConf(programs: readonly Program[]): void {
  for (const dir of [statePaths.config, statePaths.logs, statePaths.run]) mkdirSync(dir, { recursive: true });
  const header = `[unix_http_server]
file=${socket}

[supervisord]
logfile=${join(statePaths.logs, 'supervisord.log')}
pidfile=${pidFile}
childlogdir=${statePaths.logs}
identifier=orderflow

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://${socket}
`;
  writeFileSync(supervisorConf, [header, ...programs.map(programSection)].join('\n'));
}

/** True when our supervisord answers on its socket. */
export async function supervisorRunning(): Promise<boolean> {
  if (!existsSync(socket) || !existsSync(supervisorConf)) return false;
  try {
    await capture(tools.supervisor.bins.supervisorctl, ['-c', supervisorConf, 'pid']);
    return true;
  } catch {
    return false;
  }
}

export async function startSupervisor(): Promise<void> {
  await runLogged(
    tools.supervisor.bins.supervisord,
    ['-c', supervisorConf],
    join(statePaths.logs, 'supervisord.out'),
  );
}

export async function ctl(...args: string[]): Promise<string> {
  try {
    return await capture(tools.supervisor.bins.supervisorctl, ['-c', supervisorConf, ...args]);
  } catch (err) {
    // `supervisorctl status` exits 3 when some program is not RUNNING; its output is still the answer.
    const message = (err as Error).message;
    if (args[0] === 'status') return message.replace(/^[^:]*exited with \d+: /, '');
    throw err;
  }
}

export type ProgramState =
  'STOPPED' | 'STARTING' | 'RUNNING' | 'BACKOFF' | 'STOPPING' | 'EXITED' | 'FATAL' | 'UNKNOWN';

export async function programStates(): Promise<Map<string, { state: ProgramState; detail: string }>> {
  const out = await ctl('status');
  const states = new Map<string, { state: ProgramState; detail: string }>();
  for (const line of out.split('\n')) {
    const m = /^(\S+)\s+(STOPPED|STARTING|RUNNING|BACKOFF|STOPPING|EXITED|FATAL|UNKNOWN)\s*(.*)$/.exec(
      line.trim(),
    );
    if (m) states.set(m[1]!, { state: m[2] as ProgramState, detail: m[3] ?? '' });
  }
  return states;
}

export function supervisorPid(): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) ? pid : undefined;
}
