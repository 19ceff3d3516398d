// How the event clients authenticate, parsed once from the environment: kafkajs's `ssl` and `sasl` for
// every Kafka client (producers, consumers, admin, the lag exporter) and the schema registry's auth. The
// local stack sets none of it (plaintext, no auth); a managed Kafka sets, e.g.:
//
//   KAFKA_TLS=true  KAFKA_TLS_CA=/etc/kafka-ca/ca.crt          (CA: PEM or a path; default the system roots)
//   KAFKA_SASL_MECHANISM=scram-sha-512  KAFKA_SASL_USERNAME=orderflow  KAFKA_SASL_PASSWORD_FILE=/var/run/secrets/…
//   SCHEMA_REGISTRY_USERNAME=…  SCHEMA_REGISTRY_PASSWORD_FILE=…     (or SCHEMA_REGISTRY_TOKEN: a bearer token)
//
// Every secret is also readable from `<NAME>_FILE` (a mounted Kubernetes Secret). Secrets are `Secret`s and
// the options this module returns print redacted, so a logged config or a span never carries one.
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { z } from 'zod';
import { pemFromSetting, redactedView, secretFromEnvOrFile } from '../platform/secret.ts';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const shape = z.object({
  KAFKA_TLS: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
  KAFKA_TLS_CA: text,
  /** Client certificate and key, for brokers that authenticate clients by mTLS instead of SASL. */
  KAFKA_TLS_CERT: text,
  KAFKA_TLS_KEY: text,
  KAFKA_TLS_SERVER_NAME: text,
  KAFKA_SASL_MECHANISM: text,
  SCHEMA_REGISTRY_CA: text,
});

export interface KafkaSecurity {
  /** kafkajs `ssl` and `sasl`, to spread into a KafkaConfig; empty on the local stack. */
  readonly kafka: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  /** For the registry client: basic auth, an Authorization header, an https agent with the CA. */
  readonly registry: {
    readonly auth?: { username: string; password: string };
    readonly headers?: Record<string, string>;
    readonly agent?: Agent;
  };
  /** What was configured, without secret values (for messages and logs). */
  readonly summary: {
    readonly tls: boolean;
    readonly ca?: string;
    readonly sasl?: SaslMechanism;
    readonly username?: string;
    readonly registryAuth: 'none' | 'basic' | 'bearer';
  };
}

const describeSource = (value: string): string =>
  value.trimStart().startsWith('-----BEGIN') ? '(inline PEM)' : value;

/** Reads a `<NAME>` / `<NAME>_FILE` setting that is not secret (a user name). */
function plainFromEnvOrFile(setting: string, env: NodeJS.ProcessEnv): string | undefined {
  return secretFromEnvOrFile(setting, env)?.reveal();
}

/**
 * Parses and checks the security settings. Throws one error listing every problem, each naming its
 * setting: an unknown mechanism, a mechanism without its credentials, credentials without a mechanism, a
 * TLS key without its certificate, basic auth and a token both set for the registry.
 */
export function loadKafkaSecurity(env: NodeJS.ProcessEnv = process.env): KafkaSecurity {
  const parsed = shape.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Kafka security settings:\n${problems}`);
  }
  const c = parsed.data;
  const problems: string[] = [];
  const collect = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
      return undefined;
    }
  };

  const mechanism = c.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (mechanism !== undefined && !(SASL_MECHANISMS as readonly string[]).includes(mechanism))
    problems.push(
      `KAFKA_SASL_MECHANISM=${c.KAFKA_SASL_MECHANISM} is not supported: use one of ${SASL_MECHANISMS.join(', ')}`,
    );
  const username = collect(() => plainFromEnvOrFile('KAFKA_SASL_USERNAME', env));
  const password = collect(() => secretFromEnvOrFile('KAFKA_SASL_PASSWORD', env));
  const tokenFile = env.KAFKA_SASL_OAUTHBEARER_TOKEN_FILE;
  const token = collect(() => secretFromEnvOrFile('KAFKA_SASL_OAUTHBEARER_TOKEN', env));

  let sasl: SASLOptions | undefined;
  if (mechanism === 'plain' || mechanism === 'scram-sha-256' || mechanism === 'scram-sha-512') {
    if (!username) problems.push(`KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME (or _FILE)`);
    if (!password) problems.push(`KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_PASSWORD (or _FILE)`);
    if (username && password) sasl = { mechanism, username, password: password.reveal() };
  } else if (mechanism === 'oauthbearer') {
    if (!token)
      problems.push(
        'KAFKA_SASL_MECHANISM=oauthbearer needs KAFKA_SASL_OAUTHBEARER_TOKEN or KAFKA_SASL_OAUTHBEARER_TOKEN_FILE',
      );
    else
      sasl = {
        mechanism: 'oauthbearer',
        // A token file is re-read on every (re)authentication, so a rotated projected token is picked up.
        oauthBearerProvider: () =>
          Promise.resolve({ value: tokenFile ? readFileSync(tokenFile, 'utf8').trim() : token.reveal() }),
      };
  } else if (mechanism === undefined && (username || password || token)) {
    problems.push(
      'KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD/KAFKA_SASL_OAUTHBEARER_TOKEN are set without KAFKA_SASL_MECHANISM',
    );
  }

  if (c.KAFKA_TLS_CERT && !c.KAFKA_TLS_KEY) problems.push('KAFKA_TLS_CERT is set without KAFKA_TLS_KEY');
  if (c.KAFKA_TLS_KEY && !c.KAFKA_TLS_CERT) problems.push('KAFKA_TLS_KEY is set without KAFKA_TLS_CERT');
  const tlsOn = c.KAFKA_TLS || c.KAFKA_TLS_CA !== undefined || c.KAFKA_TLS_CERT !== undefined;
  if (env.KAFKA_TLS === 'false' && (c.KAFKA_TLS_CA || c.KAFKA_TLS_CERT))
    problems.push('KAFKA_TLS=false contradicts KAFKA_TLS_CA/KAFKA_TLS_CERT: remove one');
  const ca = c.KAFKA_TLS_CA ? collect(() => pemFromSetting('KAFKA_TLS_CA', c.KAFKA_TLS_CA!)) : undefined;
  const cert = c.KAFKA_TLS_CERT
    ? collect(() => pemFromSetting('KAFKA_TLS_CERT', c.KAFKA_TLS_CERT!))
    : undefined;
  const key = c.KAFKA_TLS_KEY ? collect(() => pemFromSetting('KAFKA_TLS_KEY', c.KAFKA_TLS_KEY!)) : undefined;

  const registryUser = collect(() => plainFromEnvOrFile('SCHEMA_REGISTRY_USERNAME', env));
  const registryPassword = collect(() => secretFromEnvOrFile('SCHEMA_REGISTRY_PASSWORD', env));
  const registryToken = collect(() => secretFromEnvOrFile('SCHEMA_REGISTRY_TOKEN', env));
  if (registryToken && (registryUser || registryPassword))
    problems.push('SCHEMA_REGISTRY_TOKEN and SCHEMA_REGISTRY_USERNAME/PASSWORD are both set: choose one');
  if (registryUser && !registryPassword)
    problems.push('SCHEMA_REGISTRY_USERNAME is set without SCHEMA_REGISTRY_PASSWORD');
  if (registryPassword && !registryUser)
    problems.push('SCHEMA_REGISTRY_PASSWORD is set without SCHEMA_REGISTRY_USERNAME');
  const registryCa = c.SCHEMA_REGISTRY_CA
    ? collect(() => pemFromSetting('SCHEMA_REGISTRY_CA', c.SCHEMA_REGISTRY_CA!))
    : undefined;

  if (problems.length > 0) throw new Error(`Kafka security settings:\n  ${problems.join('\n  ')}`);

  const kafka: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (tlsOn)
    kafka.ssl = redactedView(
      {
        ...(ca ? { ca: [ca] } : {}),
        ...(cert && key ? { cert, key } : {}),
        ...(c.KAFKA_TLS_SERVER_NAME ? { servername: c.KAFKA_TLS_SERVER_NAME } : {}),
      },
      'kafkajs ssl (KAFKA_TLS_KEY)',
    );
  if (sasl) kafka.sasl = redactedView(sasl, 'KAFKA_SASL_PASSWORD');

  const registry: {
    auth?: { username: string; password: string };
    headers?: Record<string, string>;
    agent?: Agent;
  } = {};
  if (registryUser && registryPassword)
    registry.auth = redactedView(
      { username: registryUser, password: registryPassword.reveal() },
      'SCHEMA_REGISTRY_PASSWORD',
    );
  if (registryToken)
    registry.headers = redactedView(
      { authorization: `Bearer ${registryToken.reveal()}` },
      'SCHEMA_REGISTRY_TOKEN',
    );
  if (registryCa) registry.agent = new Agent({ ca: [registryCa], keepAlive: true });

  return redactedView(
    {
      kafka: redactedView(kafka, 'kafkajs ssl/sasl (KAFKA_SASL_PASSWORD)'),
      registry: redactedView(registry, 'schema registry auth'),
      summary: {
        tls: tlsOn,
        ...(c.KAFKA_TLS_CA ? { ca: describeSource(c.KAFKA_TLS_CA) } : {}),
        ...(mechanism ? { sasl: mechanism as SaslMechanism } : {}),
        ...(username ? { username } : {}),
        registryAuth: registryToken
          ? ('bearer' as const)
          : registryUser
            ? ('basic' as const)
            : ('none' as const),
      },
    },
    'Kafka and schema registry security',
  );
}

/** The parsed settings for this process, read once (every client shares them). */
let current: KafkaSecurity | undefined;
export function kafkaSecurity(): KafkaSecurity {
  return (current ??= loadKafkaSecurity());
}

/**
 * A Kafka connection failure turned into a start-up error that names the setting: a failed SASL handshake →
 * KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD (or the token), an untrusted broker certificate → KAFKA_TLS_CA, a
 * TLS listener reached without TLS (or the reverse) → KAFKA_TLS. Other errors pass through unchanged.
 */
export function explainKafkaError(
  err: unknown,
  security: KafkaSecurity,
  brokers: readonly string[],
): unknown {
  if (!(err instanceof Error)) return err;
  const m = `${err.name} ${err.message}`.toLowerCase();
  const s = security.summary;
  const at = `Kafka at ${brokers.join(',')}`;
  let hint: string | undefined;
  if (/sasl.*authentication failed|authentication failed|saslauthentication|illegal sasl state/.test(m))
    hint =
      s.sasl === 'oauthbearer'
        ? 'the broker rejected the OAUTHBEARER token: check KAFKA_SASL_OAUTHBEARER_TOKEN(_FILE)'
        : `the broker rejected the SASL ${s.sasl ?? ''} credentials of user ${s.username ?? '?'}: check KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE), KAFKA_SASL_USERNAME and KAFKA_SASL_MECHANISM`;
  else if (/unsupported sasl mechanism|sasl mechanism/.test(m))
    hint = `the broker does not offer KAFKA_SASL_MECHANISM=${s.sasl ?? '(unset)'}`;
  else if (/self[- ]signed|unable to verify|unable to get local issuer|certificate/.test(m))
    hint = `the broker's TLS certificate is not trusted: check KAFKA_TLS_CA (now ${s.ca ?? 'unset: the system roots'})`;
  else if (/wrong version number|packet length too long|eproto/.test(m))
    hint = 'TLS mismatch: the listener and KAFKA_TLS disagree (SASL_SSL needs KAFKA_TLS=true)';
  if (!hint) return err;
  return new Error(`${at}: ${hint}. Cause: ${err.name}: ${err.message}`, { cause: err });
}
