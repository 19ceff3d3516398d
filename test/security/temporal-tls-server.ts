// A real Temporal server with a TLS frontend, for the security tests. The pinned CLI's `temporal server
// start-dev` has no TLS flags, so stack/tools/temporal-tls-server (Go) runs the same server library the CLI
// embeds (go.temporal.io/server v1.29.1, SQLite in memory) with the frontend's TLS settings. `npm run setup`
// builds it into the tool cache like every other tool.
import { existsSync } from 'node:fs';
import { tools } from '../../stack/tools.ts';
import { withFreePort } from '../support/ports.ts';
import { startProcess, waitUntil, type Started } from './processes.ts';
import type { TestPki } from './pki.ts';

/** The server from the tool cache (`npm run setup` builds it); a clear failure naming the command if absent. */
export function ensureTemporalTlsServer(): string {
  const binary = tools.temporalTlsServer.bins['temporal-tls-server'];
  if (!existsSync(binary))
    throw new Error(
      `${binary} is missing: run \`npm run setup -- temporal-tls-server\` (or npm start) first`,
    );
  return binary;
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
  const binary = ensureTemporalTlsServer();
  return withFreePort(async (port) => {
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
  });
}
