// Child-process helpers shared by setup and the stack runner.
import { spawn, type SpawnOptions } from 'node:child_process';
import { createWriteStream, readFileSync, existsSync } from 'node:fs';

export class CommandError extends Error {
  readonly command: string;
  readonly exitCode: number | null;
  constructor(command: string, exitCode: number | null, detail = '') {
    super(`${command} exited with ${exitCode ?? 'a signal'}${detail ? `: ${detail}` : ''}`);
    this.name = 'CommandError';
    this.command = command;
    this.exitCode = exitCode;
  }
}

/** Runs a command to completion, appending its stdout and stderr to `logFile`. */
export async function runLogged(
  cmd: string,
  args: readonly string[],
  logFile: string,
  options: SpawnOptions = {},
): Promise<void> {
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`\n$ ${cmd} ${args.join(' ')}\n`);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      child.on('error', (err) => reject(new CommandError(cmd, null, err.message)));
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new CommandError(`${cmd} ${args.join(' ')}`, code)),
      );
    });
  } finally {
    await new Promise((resolve) => log.end(resolve));
  }
}

/** Runs a command and returns its stdout; stderr is kept for the error message. */
export async function capture(
  cmd: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new CommandError(cmd, null, e.message)));
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new CommandError(`${cmd} ${args.join(' ')}`, code, (err || out).trim())),
    );
  });
}

/** The last `lines` lines of a log file, for failure reports. */
export function tail(file: string, lines = 25): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
