// How every Temporal client of orderflow finds and authenticates to the server: one shape for order-api,
// the workers and the tools, so TEMPORAL_PORT (which moves the local server) moves all of them, and one
// function that turns it into the SDK's connection options. TEMPORAL_ADDRESS overrides the address (a
// remote cluster or Temporal Cloud).
//
//   local dev server   nothing to set (plaintext on 127.0.0.1:7233)
//   Temporal Cloud     TEMPORAL_ADDRESS=<region>.<cloud>.api.temporal.io:7233, TEMPORAL_NAMESPACE=<ns>.<account>,
//                      TEMPORAL_API_KEY (or _FILE): TLS on, the key as `apiKey`, the namespace as the
//                      `temporal-namespace` gRPC header (the SDK's documented Cloud API-key connection)
//                      or TEMPORAL_TLS_CERT + TEMPORAL_TLS_KEY (mTLS, namespace endpoint <ns>.<account>.tmprl.cloud:7233)
//   self-hosted TLS    TEMPORAL_TLS=true and/or TEMPORAL_TLS_CA (private CA), TEMPORAL_TLS_SERVER_NAME (SNI /
//                      name check override), TEMPORAL_TLS_CERT + TEMPORAL_TLS_KEY when the frontend wants mTLS
//
// Certificates and keys are PEM, inline or as a file path. Secrets (the API key, the client key) are
// `Secret`s: they print redacted, and so do the connection options this module returns.
import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { z } from 'zod';
import { str } from './config.ts';
import { host, ports } from './ports.ts';
import { pemFromSetting, readSettingFile, redactedView, secret, Secret } from './secret.ts';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1'));

export const temporalSettings = {
  TEMPORAL_ADDRESS: str(`${host}:${ports.temporal}`),
  TEMPORAL_NAMESPACE: str('default'),
  /** Temporal Cloud API key (implies TLS). Or TEMPORAL_API_KEY_FILE. */
  TEMPORAL_API_KEY: secret('TEMPORAL_API_KEY'),
  TEMPORAL_API_KEY_FILE: optionalText,
  /** TLS without a client certificate or private CA (a frontend whose certificate the system trusts). */
  TEMPORAL_TLS: flag,
  /** Client certificate for mTLS: PEM or a file path. Needs TEMPORAL_TLS_KEY. */
  TEMPORAL_TLS_CERT: optionalText,
  /** The client certificate's private key: PEM or a file path. */
  TEMPORAL_TLS_KEY: secret('TEMPORAL_TLS_KEY'),
  /** CA that signed the frontend's certificate (private PKI): PEM or a file path. Default: the system roots. */
  TEMPORAL_TLS_CA: optionalText,
  /** Name to verify in the frontend's certificate (and SNI) when it differs from the address's host. */
  TEMPORAL_TLS_SERVER_NAME: optionalText,
} as const;

export type TemporalSettings = z.infer<z.ZodObject<typeof temporalSettings>>;

/** TLS as the Temporal SDK takes it (`TLSConfig` of @temporalio/common; client and worker alike). */
export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

/**
 * Options for `Connection.connect`/`Connection.lazy` (@temporalio/client) and `NativeConnection.connect`
 * (@temporalio/worker): the fields both accept. Spread them into the call (`{ ...options, connectTimeout }`).
 * JSON.stringify and util.inspect show them redacted.
 */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TemporalTls;
  apiKey?: string;
  metadata?: Record<string, string>;
}

/** What a connection was built from, for error messages (no secret values). */
export interface TemporalConnectionSummary {
  readonly address: string;
  readonly namespace: string;
  readonly auth: 'none' | 'api-key' | 'mtls';
  readonly tls: boolean;
  readonly ca?: string;
  readonly serverName?: string;
}

const summaries = new WeakMap<object, TemporalConnectionSummary>();

const describeSource = (value: string): string =>
  value.trimStart().startsWith('-----BEGIN') ? '(inline PEM)' : value;

/**
 * The SDK connection options for these settings. Throws, naming the setting, on an invalid combination:
 * a certificate without its key (or the reverse), an API key given twice, an unreadable file.
 */
export function temporalConnectionOptions(settings: TemporalSettings): TemporalConnectionOptions {
  const problems: string[] = [];
  if (settings.TEMPORAL_API_KEY && settings.TEMPORAL_API_KEY_FILE)
    problems.push('TEMPORAL_API_KEY and TEMPORAL_API_KEY_FILE are both set: set one of them');
  if (settings.TEMPORAL_TLS_CERT && !settings.TEMPORAL_TLS_KEY)
    problems.push('TEMPORAL_TLS_CERT is set without TEMPORAL_TLS_KEY: mTLS needs the client key too');
  if (settings.TEMPORAL_TLS_KEY && !settings.TEMPORAL_TLS_CERT)
    problems.push('TEMPORAL_TLS_KEY is set without TEMPORAL_TLS_CERT: mTLS needs the client certificate too');
  if (settings.TEMPORAL_TLS === false && (settings.TEMPORAL_TLS_CERT || settings.TEMPORAL_TLS_CA))
    problems.push('TEMPORAL_TLS=false contradicts TEMPORAL_TLS_CERT/TEMPORAL_TLS_CA: remove one');
  const apiKey =
    settings.TEMPORAL_API_KEY ??
    (settings.TEMPORAL_API_KEY_FILE
      ? new Secret(
          'TEMPORAL_API_KEY',
          readSettingFile('TEMPORAL_API_KEY_FILE', settings.TEMPORAL_API_KEY_FILE).trim(),
        )
      : undefined);
  if (settings.TEMPORAL_TLS === false && apiKey)
    problems.push('TEMPORAL_TLS=false contradicts TEMPORAL_API_KEY: API keys are only sent over TLS');
  if (apiKey && apiKey.reveal() === '') problems.push('TEMPORAL_API_KEY_FILE: the file is empty');
  if (problems.length > 0) throw new Error(`Temporal connection settings:\n  ${problems.join('\n  ')}`);

  const mtls = settings.TEMPORAL_TLS_CERT !== undefined && settings.TEMPORAL_TLS_KEY !== undefined;
  const tlsOn =
    settings.TEMPORAL_TLS === true ||
    apiKey !== undefined ||
    mtls ||
    settings.TEMPORAL_TLS_CA !== undefined ||
    settings.TEMPORAL_TLS_SERVER_NAME !== undefined;

  const options: TemporalConnectionOptions = { address: settings.TEMPORAL_ADDRESS };
  if (tlsOn) {
    const tls: TemporalTls = {};
    if (settings.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = settings.TEMPORAL_TLS_SERVER_NAME;
    if (settings.TEMPORAL_TLS_CA)
      tls.serverRootCACertificate = Buffer.from(pemFromSetting('TEMPORAL_TLS_CA', settings.TEMPORAL_TLS_CA));
    if (mtls)
      tls.clientCertPair = {
        crt: Buffer.from(pemFromSetting('TEMPORAL_TLS_CERT', settings.TEMPORAL_TLS_CERT!)),
        key: Buffer.from(pemFromSetting('TEMPORAL_TLS_KEY', settings.TEMPORAL_TLS_KEY!.reveal())),
      };
    options.tls = tls;
  }
  if (apiKey) {
    options.apiKey = apiKey.reveal();
    // Temporal Cloud routes an API-key request by this header (the SDK's documented Cloud connection).
    options.metadata = { 'temporal-namespace': settings.TEMPORAL_NAMESPACE };
  }
  summaries.set(options, {
    address: settings.TEMPORAL_ADDRESS,
    namespace: settings.TEMPORAL_NAMESPACE,
    auth: apiKey ? 'api-key' : mtls ? 'mtls' : 'none',
    tls: tlsOn,
    ...(settings.TEMPORAL_TLS_CA ? { ca: describeSource(settings.TEMPORAL_TLS_CA) } : {}),
    ...(settings.TEMPORAL_TLS_SERVER_NAME ? { serverName: settings.TEMPORAL_TLS_SERVER_NAME } : {}),
  });
  return redactedView(options, `Temporal connection to ${settings.TEMPORAL_ADDRESS}`);
}

/** How options from temporalConnectionOptions were built (address, auth kind, CA source; no secrets). */
export function temporalConnectionSummary(options: TemporalConnectionOptions): TemporalConnectionSummary {
  return (
    summaries.get(options) ?? {
      address: options.address,
      namespace: 'default',
      auth: options.apiKey ? 'api-key' : options.tls?.clientCertPair ? 'mtls' : 'none',
      tls: options.tls !== undefined,
    }
  );
}

/** The messages of an error and its causes (the client SDK wraps the gRPC error in `cause`). */
function messages(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (e instanceof Error) {
      parts.push(e.message);
      e = e.cause;
    } else {
      parts.push(typeof e === 'string' ? e : JSON.stringify(e));
      break;
    }
  }
  return parts.join(': ');
}

function hintFor(m: string, s: TemporalConnectionSummary): string | undefined {
  if (
    /unknownissuer|unknown issuer|unable to verify|self[- ]signed|unable to get (local )?issuer|certificate verify failed|invalid peer certificate|signed by unknown authority|badsignature/.test(
      m,
    )
  )
    return (
      `the server's TLS certificate is not trusted: check TEMPORAL_TLS_CA ` +
      `(now ${s.ca ?? 'unset: the system roots'}) is the CA that signed the frontend's certificate`
    );
  if (
    /notvalidforname|not valid for name|hostname\/ip does not match|altnames|does not match certificate/.test(
      m,
    )
  )
    return `the server's certificate does not name ${s.serverName ?? s.address}: set TEMPORAL_TLS_SERVER_NAME to the name in it`;
  if (
    /certificate required|certificate_required|bad certificate|unknown ca|alert number 116|alert number 42|alert number 48/.test(
      m,
    )
  )
    return s.auth === 'mtls'
      ? 'the server rejected the client certificate: check TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (signed by a CA the server accepts?)'
      : 'the server requires a client certificate (mTLS): set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY';
  if (/unauthenticated|unauthorized|permission denied|invalid api key|\b401\b|\b403\b/.test(m))
    return s.auth === 'api-key'
      ? 'the server rejected the API key: check TEMPORAL_API_KEY (and TEMPORAL_NAMESPACE)'
      : 'the server wants credentials: set TEMPORAL_API_KEY or TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY';
  if (
    /wrong version number|packet length too long|http2 error|invalidcontenttype|record overflow|unexpected eof/.test(
      m,
    )
  )
    return s.tls
      ? 'TLS failed; is the frontend serving TLS on this port? (TEMPORAL_TLS, TEMPORAL_ADDRESS)'
      : 'the connection broke; if the frontend serves TLS, set TEMPORAL_TLS=true or TEMPORAL_TLS_CA';
  return undefined;
}

/**
 * A connection failure turned into a start-up error that names the setting to look at: an untrusted server
 * certificate → TEMPORAL_TLS_CA, a name mismatch → TEMPORAL_TLS_SERVER_NAME, a refused or missing client
 * certificate → TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY, a rejected API key → TEMPORAL_API_KEY, TLS spoken to a
 * plaintext port (or the reverse) → TEMPORAL_TLS. The original error is kept as the cause. See
 * explainTemporalConnectFailure for errors that do not say why (the client SDK's connect deadline).
 */
export function explainTemporalConnectError(err: unknown, options: TemporalConnectionOptions): Error {
  const s = temporalConnectionSummary(options);
  const raw = messages(err);
  const hint =
    hintFor(raw.toLowerCase(), s) ??
    'could not connect: check TEMPORAL_ADDRESS and that the frontend is reachable';
  return new Error(`Temporal at ${s.address} (namespace ${s.namespace}): ${hint}. Cause: ${raw}`, {
    cause: err,
  });
}

/**
 * Like explainTemporalConnectError, and when the error does not say why (the client SDK only reports its
 * connect deadline: gRPC keeps the TLS error to itself), one TLS handshake with the same CA, client
 * certificate and server name finds the cause. Bounded by `probeMs`.
 */
export async function explainTemporalConnectFailure(
  err: unknown,
  options: TemporalConnectionOptions,
  probeMs = 3_000,
): Promise<Error> {
  const s = temporalConnectionSummary(options);
  if (hintFor(messages(err).toLowerCase(), s) !== undefined || !options.tls)
    return explainTemporalConnectError(err, options);
  const tlsProblem = await probeTls(options, probeMs);
  if (tlsProblem === undefined) return explainTemporalConnectError(err, options);
  return explainTemporalConnectError(new Error(`TLS handshake: ${tlsProblem}`, { cause: err }), options);
}

/** One TLS handshake as the SDK would make it; the error's message, or undefined when it succeeds. */
function probeTls(options: TemporalConnectionOptions, timeoutMs: number): Promise<string | undefined> {
  const tls = options.tls ?? {};
  const separator = options.address.lastIndexOf(':');
  const hostname = options.address.slice(0, separator).replace(/^\[|\]$/g, '');
  const port = Number(options.address.slice(separator + 1));
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const socket = tlsConnect({
      host: hostname,
      port,
      servername: tls.serverNameOverride ?? (isIP(hostname) ? undefined : hostname),
      ...(tls.serverRootCACertificate ? { ca: tls.serverRootCACertificate } : {}),
      ...(tls.clientCertPair ? { cert: tls.clientCertPair.crt, key: tls.clientCertPair.key } : {}),
      ALPNProtocols: ['h2'],
    });
    // TLS 1.3: a refused client certificate arrives as an alert just after the handshake.
    socket.once('secureConnect', () => setTimeout(() => done(undefined), 500).unref());
    socket.once('error', (e: Error) => done(e.message));
    const timer = setTimeout(() => done(undefined), timeoutMs);
    timer.unref();
  });
}
