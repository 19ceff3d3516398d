// Test helpers shared by the services: a database file in a fresh temporary folder, and the real process
// (its main.ts) on a free port for restart tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach } from 'vitest';
import { openDatabase, type Database } from '../../platform/sqlite.ts';
import { PortTakenError, saysAddressInUse, withFreePort } from './ports.ts';

export interface TempDir {
  readonly path: string;
  readonly file: (name: string) => string;
  readonly remove: () => void;
}

export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return {
    path,
    file: (name) => join(path, name),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

export interface RunningService {
  readonly url: string;
  readonly port: number;
  /** Sends SIGTERM and resolves with the exit code. */
  readonly stop: () => Promise<number | null>;
}

/**
 * Starts `main.ts` as its own process on a free port and waits until `probePath` answers. A service
 * cannot bind port 0 (PORT must be 1-65535), so it is told a free one; if that was taken meanwhile
 * (EADDRINUSE), it starts again on another.
 */
export function startService(
  main: string,
  env: Record<string, string>,
  probePath = '/healthz',
): Promise<RunningService> {
  return withFreePort((port) => startServiceOn(main, env, probePath, port));
}

async function startServiceOn(
  main: string,
  env: Record<string, string>,
  probePath: string,
  port: number,
): Promise<RunningService> {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await closed; // its stderr read to the end
      if (saysAddressInUse(stderr)) throw new PortTakenError(port, stderr);
      throw new Error(`${main} exited with ${child.exitCode ?? child.signalCode}: ${stderr}`);
    }
    try {
      if ((await fetch(`${url}${probePath}`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${main} did not become healthy: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface AppHarness<O> {
  /** The current test's temporary folder and its database file (fresh for each test). */
  readonly dir: () => string;
  /** Builds the app over the test's database file; call again after stop() to "restart" the service. */
  readonly start: (options?: Partial<O>) => FastifyInstance;
  /** Closes the app and its database (the file stays, as a real restart would leave it). */
  readonly stop: (app: FastifyInstance) => Promise<void>;
}

/**
 * In-process apps over one SQLite file in a fresh temporary folder per test, closed and removed after
 * each test. Call at the top of a test file (it registers beforeEach/afterEach).
 */
export function appHarness<O>(
  service: string,
  migrations: readonly string[],
  build: (db: Database, options: Partial<O>) => FastifyInstance,
): AppHarness<O> {
  let dir: TempDir | undefined;
  const opened: { app: FastifyInstance; db: Database }[] = [];
  const stop = async (app: FastifyInstance): Promise<void> => {
    const [entry] = opened.splice(
      opened.findIndex((o) => o.app === app),
      1,
    );
    await app.close();
    entry?.db.close();
  };
  beforeEach(() => {
    dir = tempDir(service);
  });
  afterEach(async () => {
    for (const { app } of [...opened]) await stop(app);
    dir?.remove();
  });
  return {
    dir: () => dir!.path,
    start: (options = {}) => {
      const db = openDatabase(dir!.file(`${service}.db`), migrations);
      const app = build(db, options);
      opened.push({ app, db });
      return app;
    },
    stop,
  };
}
