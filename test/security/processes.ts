// Servers the security tests start themselves: spawned as children, awaited until they print a line or
// answer a probe (bounded), and stopped by the PID this module started (SIGTERM, then SIGKILL after 5 s).
import { spawn, type ChildProcess } from 'node:child_process';
import { PortTakenError, saysAddressInUse } from '../support/ports.ts';

export interface Started {
  readonly child: ChildProcess;
  /** stdout and stderr so far (for failure messages). */
  readonly output: () => string;
  readonly stop: () => Promise<void>;
}

export function startProcess(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Started {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };
  return { child, output: () => output, stop };
}

/** Waits until `ready()` is true, the process exits (an error with its output), or `timeoutMs` passes. */
export async function waitUntil(
  started: Started,
  what: string,
  ready: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) {
      const output = started.output();
      // The port was free when it was picked and taken before the child bound it: withFreePorts retries.
      if (saysAddressInUse(output)) throw new PortTakenError(0, output.slice(-3000));
      throw new Error(`${what} exited with ${started.child.exitCode}:\n${output.slice(-3000)}`);
    }
    if (await Promise.resolve(ready()).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms:\n${started.output().slice(-3000)}`);
}

/** Rejects after `ms` with a message: a bound on anything that could hang. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (a hang)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
