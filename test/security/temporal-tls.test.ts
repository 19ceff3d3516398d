// Temporal clients against a real Temporal server whose frontend serves TLS (temporal-tls-server.ts: the
// server library the pinned CLI embeds, started here on a free port), configured only through the
// TEMPORAL_* settings every orderflow process reads (platform/temporal.ts). Both connection kinds are
// covered: Connection (order-api, diagnose) and NativeConnection (the workers). No stack needed.
import { readFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.ts';
import {
  explainTemporalConnectError,
  explainTemporalConnectFailure,
  temporalConnectionOptions,
  temporalSettings,
  type TemporalConnectionOptions,
} from '../../platform/temporal.ts';
import { endpointsFromEnv } from '../../tools/diagnose/endpoints.ts';
import { connectTemporal } from '../../tools/diagnose/temporal.ts';
import { makeTestPki, type TestPki } from './pki.ts';
import { within } from './processes.ts';
import { ensureTemporalTlsServer, startTlsTemporal, type TlsTemporal } from './temporal-tls-server.ts';

const NAMESPACE = 'orders-production';
const API_KEY = 'tmprl-test-api-key-5e1d';

let pki: TestPki;
let mtlsServer: TlsTemporal;
let apiKeyServer: TlsTemporal;

beforeAll(async () => {
  ensureTemporalTlsServer(); // from the tool cache, or a failure naming `npm run setup`
  pki = makeTestPki();
  [mtlsServer, apiKeyServer] = await Promise.all([
    startTlsTemporal(pki, { mtls: true, namespaces: ['default', NAMESPACE] }),
    startTlsTemporal(pki, { mtls: false, apiKey: API_KEY, namespaces: ['default', NAMESPACE] }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([mtlsServer?.stop(), apiKeyServer?.stop()]);
  pki?.cleanup();
});

const options = (env: Record<string, string>): TemporalConnectionOptions =>
  temporalConnectionOptions(loadConfig('test', temporalSettings, { TEMPORAL_NAMESPACE: NAMESPACE, ...env }));

const mtlsEnv = (): Record<string, string> => ({
  TEMPORAL_ADDRESS: mtlsServer.address,
  TEMPORAL_TLS_CERT: pki.clientCert,
  // Inline PEM, the way a secret manager may inject it.
  TEMPORAL_TLS_KEY: readFileSync(pki.clientKey, 'utf8'),
  TEMPORAL_TLS_CA: pki.caCert,
  TEMPORAL_TLS_SERVER_NAME: 'localhost',
});

/** Connects with the client SDK, describes the namespace, closes; the error explained as at start-up. */
async function describeWithClient(o: TemporalConnectionOptions): Promise<string> {
  const connection = await Connection.connect({ ...o, connectTimeout: 5_000 }).catch(async (err: unknown) => {
    throw await explainTemporalConnectFailure(err, o);
  });
  try {
    const answer = await connection.withDeadline(Date.now() + 5_000, () =>
      connection.workflowService.describeNamespace({ namespace: NAMESPACE }),
    );
    return answer.namespaceInfo?.name ?? '';
  } finally {
    await connection.close();
  }
}

/** The same with the worker's NativeConnection (Rust core, rustls). */
async function describeWithNative(o: TemporalConnectionOptions): Promise<string> {
  const connection = await NativeConnection.connect(o).catch((err: unknown) => {
    throw explainTemporalConnectError(err, o);
  });
  try {
    const answer = await connection.workflowService.describeNamespace({ namespace: NAMESPACE });
    return answer.namespaceInfo?.name ?? '';
  } finally {
    await connection.close();
  }
}

const failure = async (what: string, p: Promise<unknown>): Promise<{ error?: Error; ms: number }> => {
  const started = Date.now();
  const error = await within(15_000, what, p).then(
    () => undefined,
    (err: unknown) => err as Error,
  );
  return { error, ms: Date.now() - started };
};

describe('Temporal over mTLS (a private CA, client certificates required)', () => {
  it('when the client certificate, key and CA are set, then the client SDK connects and describes the namespace', async () => {
    expect(await within(15_000, 'describe', describeWithClient(options(mtlsEnv())))).toBe(NAMESPACE);
  });

  it('when the same settings reach a worker, then its NativeConnection connects and describes the namespace', async () => {
    expect(await within(15_000, 'describe', describeWithNative(options(mtlsEnv())))).toBe(NAMESPACE);
  });

  it('when TEMPORAL_TLS_CA is a CA that did not sign the server certificate, then the client fails fast naming TEMPORAL_TLS_CA', async () => {
    const { error, ms } = await failure(
      'client connect with an untrusted CA',
      describeWithClient(options({ ...mtlsEnv(), TEMPORAL_TLS_CA: pki.rogueCaCert })),
    );
    expect(error?.message).toMatch(/not trusted: check TEMPORAL_TLS_CA/);
    expect(error?.message).toContain(pki.rogueCaCert);
    expect(ms).toBeLessThan(10_000);
  });

  it('when TEMPORAL_TLS_CA is untrusted, then a worker fails fast naming TEMPORAL_TLS_CA', async () => {
    const { error, ms } = await failure(
      'native connect with an untrusted CA',
      describeWithNative(options({ ...mtlsEnv(), TEMPORAL_TLS_CA: pki.rogueCaCert })),
    );
    expect(error?.message).toMatch(/not trusted: check TEMPORAL_TLS_CA/);
    expect(ms).toBeLessThan(10_000);
  });

  it('when diagnose gets an untrusted CA, then it answers TEMPORAL_UNAVAILABLE naming TEMPORAL_TLS_CA', async () => {
    const endpoints = endpointsFromEnv({
      ...mtlsEnv(),
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TLS_CA: pki.rogueCaCert,
    });
    const { error, ms } = await failure('diagnose connect', connectTemporal(endpoints));
    expect(error?.message).toMatch(/TEMPORAL_TLS_CA/);
    expect(ms).toBeLessThan(10_000);
  });

  it('when no client certificate is set, then the connection is refused naming TEMPORAL_TLS_CERT', async () => {
    const { error, ms } = await failure(
      'connect without a client certificate',
      describeWithClient(options({ TEMPORAL_ADDRESS: mtlsServer.address, TEMPORAL_TLS_CA: pki.caCert })),
    );
    expect(error?.message).toMatch(/TEMPORAL_TLS_CERT/);
    expect(ms).toBeLessThan(10_000);
  });
});

describe('Temporal with an API key over TLS (the Temporal Cloud connection)', () => {
  it('when TEMPORAL_API_KEY is set, then TLS, the bearer key and the temporal-namespace header reach the server', async () => {
    const o = options({
      TEMPORAL_ADDRESS: apiKeyServer.address,
      TEMPORAL_API_KEY: API_KEY,
      TEMPORAL_TLS_CA: pki.caCert,
    });
    expect(await within(15_000, 'describe', describeWithClient(o))).toBe(NAMESPACE);
    expect(await within(15_000, 'describe', describeWithNative(o))).toBe(NAMESPACE);
  });

  it('when the API key is wrong, then the connection fails naming TEMPORAL_API_KEY', async () => {
    const o = options({
      TEMPORAL_ADDRESS: apiKeyServer.address,
      TEMPORAL_API_KEY: 'not-the-key',
      TEMPORAL_TLS_CA: pki.caCert,
    });
    const { error, ms } = await failure('connect with a wrong API key', describeWithClient(o));
    expect(error?.message).toMatch(/rejected the API key: check TEMPORAL_API_KEY/);
    expect(error?.message).not.toContain('not-the-key');
    expect(ms).toBeLessThan(10_000);
  });
});
