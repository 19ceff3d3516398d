// Test helpers: the gateway listening on a free port with a real stripe SDK client pointed at it, the way
// the payment activities use it, and a temporary folder for database files that must survive a restart.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { type Database, openDatabase } from '../kit/db.ts';
import { buildApp } from './app.ts';
import { migrations } from './store.ts';

export interface Gateway {
  readonly app: FastifyInstance;
  readonly db: Database;
  readonly port: number;
  /** An SDK client for this gateway; `maxNetworkRetries` 0 unless a test wants the SDK's own retries. */
  readonly stripe: (options?: { key?: string; maxNetworkRetries?: number }) => Stripe;
  /** Closes the server and the database (the file stays). */
  readonly close: () => Promise<void>;
}

export interface GatewayOptions {
  /** A database file; an in-memory database when absent. */
  readonly file?: string;
  readonly clock?: () => number;
  readonly processingDelayMs?: number;
}

export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const db = openDatabase(options.file ?? ':memory:', migrations);
  const app = buildApp({
    db,
    logLevel: 'silent',
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.processingDelayMs !== undefined ? { processingDelayMs: options.processingDelayMs } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return {
    app,
    db,
    port,
    stripe: ({ key = 'sk_test_orderflow', maxNetworkRetries = 0 } = {}) =>
      new Stripe(key, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries, telemetry: false }),
    close: async () => {
      await app.close();
      db.close();
    },
  };
}

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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface GatewayProcess {
  readonly port: number;
  /** Sends SIGTERM and resolves with the exit code. */
  readonly stop: () => Promise<number | null>;
}

/** Runs `main.ts` as its own process on a free port and waits until /readyz answers. */
export async function startProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(import.meta.dirname, 'main.ts')], {
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`payment-gateway exited with ${child.exitCode}: ${stderr}`);
    if (waited > 15_000) {
      child.kill('SIGTERM');
      throw new Error(`payment-gateway did not become ready: ${stderr}`);
    }
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The options the payment activities use: card only, no redirects, so server-side confirmation works. */
export const serverSide = { payment_method_types: ['card'] } as const;

/** Form-encodes like the SDK does, for `app.inject` requests. */
export const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

export const auth = {
  authorization: 'Bearer sk_test_orderflow',
  'content-type': 'application/x-www-form-urlencoded',
} as const;
