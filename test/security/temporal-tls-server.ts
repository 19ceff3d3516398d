// A real Temporal server with a TLS frontend, for the security tests. The pinned CLI's `temporal server
// start-dev` has no TLS flags, so temporal-tls-server/ (Go) runs the same server library the CLI embeds
// (go.temporal.io/server v1.29.1, SQLite in memory) with the frontend's TLS settings. It is built once
// into the tool cache from the Go module cache the CLI build filled (a few minutes the first time; the
// module proxy only for go.mod files that build did not need).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir, repoRoot } from '../../platform/paths.ts';
import { freePort, startProcess, waitUntil, type Started } from './processes.ts';
import type { TestPki } from './pki.ts';

export const temporalTlsServerBinary = join(cacheDir, 'temporal-tls-server-1.5.1', 'temporal-tls-server');

/** Builds the server if the cache does not have it yet (only the first run pays). */
export async function ensureTemporalTlsServer(): Promise<string> {
  if (existsSync(temporalTlsServerBinary)) return temporalTlsServerBinary;
  mkdirSync(dirname(temporalTlsServerBinary), { recursive: true });
  await promisify(execFile)('go', ['build', '-o', temporalTlsServerBinary, '.'], {
    cwd: join(repoRoot, 'test', 'security', 'temporal-tls-server'),
    env: { ...process.env, GOFLAGS: '-mod=mod' },
    timeout: 15 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return temporalTlsServerBinary;
}

export interface TlsTemporal {
  readonly address: string;
  readonly process: Started;
  readonly stop: () => Promise<void>;
}

export interface TlsTemporalOptions {
  /** Require client certificates signed by the test CA (mTLS). */
  readonly mtls: boolean;
  /** Stand-in for Temporal Cloud's API-key check (see main.go). */
  readonly apiKey?: string;
  readonly namespaces: readonly string[];
}

export async function startTlsTemporal(pki: TestPki, options: TlsTemporalOptions): Promise<TlsTemporal> {
  const binary = await ensureTemporalTlsServer();
  const port = await freePort();
  const args = [
    `-port=${port}`,
    `-namespaces=${options.namespaces.join(',')}`,
    `-cert=${pki.serverCert}`,
    `-key=${pki.serverKey}`,
    `-server-ca=${pki.caCert}`,
    '-server-name=localhost',
    // The server's own system worker is a client of the frontend too: it presents the server cert.
    `-worker-cert=${pki.serverCert}`,
    `-worker-key=${pki.serverKey}`,
    ...(options.mtls ? [`-client-ca=${pki.caCert}`] : []),
    ...(options.apiKey ? [`-api-key=${options.apiKey}`] : []),
  ];
  const started = startProcess(binary, args);
  try {
    await waitUntil(started, 'Temporal (TLS)', () => started.output().includes('READY '), 45_000);
  } catch (err) {
    await started.stop();
    throw err;
  }
  return { address: `127.0.0.1:${port}`, process: started, stop: started.stop };
}
