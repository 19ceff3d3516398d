// The connection-security settings (platform/temporal.ts, events/security.ts): what each combination turns
// into for the SDKs, the start-up errors for invalid ones, and that no secret reaches a log line, a JSON
// dump, util.inspect or a span. No servers needed (the registry client talks to a local HTTP server).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.ts';
import { temporalConnectionOptions, temporalSettings } from '../../platform/temporal.ts';
import { loadKafkaSecurity } from '../../events/security.ts';
import { createSchemaRegistryClient } from '../../events/kafka.ts';
import { loadEventsConfig } from '../../events/config.ts';
import { loadOrderApiConfig } from '../../services/order-api/config.ts';
import { makeTestPki, type TestPki } from './pki.ts';

const API_KEY = 'tmprl-api-key-SECRET-7f3a9c';
const SASL_PASSWORD = 'sasl-SECRET-password-41b2';
const REGISTRY_PASSWORD = 'registry-SECRET-pw-9d0e';
const REGISTRY_TOKEN = 'registry-SECRET-token-c4e1';

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki?.cleanup());

const temporal = (env: Record<string, string>) =>
  temporalConnectionOptions(loadConfig('test', temporalSettings, env));

describe('Temporal connection settings', () => {
  it('when nothing is set, then the client connects in plaintext to the local dev server', () => {
    const options = temporal({});
    expect(options).toEqual({ address: '127.0.0.1:7233' });
  });

  it('when TEMPORAL_API_KEY is set, then TLS is on, the key is the apiKey and the namespace goes in temporal-namespace', () => {
    const options = temporal({
      TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233',
      TEMPORAL_NAMESPACE: 'orders-production.a1b2c',
      TEMPORAL_API_KEY: API_KEY,
    });
    expect(options).toEqual({
      address: 'us-east-1.aws.api.temporal.io:7233',
      tls: {},
      apiKey: API_KEY,
      metadata: { 'temporal-namespace': 'orders-production.a1b2c' },
    });
  });

  it('when TEMPORAL_API_KEY_FILE names a file, then its content (trimmed) is the key', () => {
    const file = join(pki.dir, 'api-key');
    writeFileSync(file, `${API_KEY}\n`);
    expect(temporal({ TEMPORAL_API_KEY_FILE: file }).apiKey).toBe(API_KEY);
  });

  it('when TEMPORAL_TLS_CERT/KEY/CA are paths or inline PEM, then the SDK gets the PEM bytes and the server name', async () => {
    const { readFileSync } = await import('node:fs');
    const options = temporal({
      TEMPORAL_TLS_CERT: pki.clientCert,
      TEMPORAL_TLS_KEY: readFileSync(pki.clientKey, 'utf8'),
      TEMPORAL_TLS_CA: pki.caCert,
      TEMPORAL_TLS_SERVER_NAME: 'temporal-frontend.temporal.svc',
    });
    expect(options.tls?.serverNameOverride).toBe('temporal-frontend.temporal.svc');
    expect(options.tls?.clientCertPair?.crt.toString()).toBe(readFileSync(pki.clientCert, 'utf8'));
    expect(options.tls?.clientCertPair?.key.toString()).toBe(readFileSync(pki.clientKey, 'utf8'));
    expect(options.tls?.serverRootCACertificate?.toString()).toBe(readFileSync(pki.caCert, 'utf8'));
    expect(options.apiKey).toBeUndefined();
  });

  it.each([
    [{ TEMPORAL_TLS_CERT: '/c.pem' }, /TEMPORAL_TLS_CERT is set without TEMPORAL_TLS_KEY/],
    [{ TEMPORAL_TLS_KEY: '/k.pem' }, /TEMPORAL_TLS_KEY is set without TEMPORAL_TLS_CERT/],
    [{ TEMPORAL_API_KEY: 'a', TEMPORAL_API_KEY_FILE: '/f' }, /TEMPORAL_API_KEY and TEMPORAL_API_KEY_FILE/],
    [{ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'a' }, /TEMPORAL_TLS=false contradicts TEMPORAL_API_KEY/],
    [
      { TEMPORAL_TLS_CA: '/nonexistent/ca.pem' },
      /TEMPORAL_TLS_CA: cannot read the file \/nonexistent\/ca.pem/,
    ],
    [{ TEMPORAL_TLS: 'yes' }, /TEMPORAL_TLS/],
  ])('when the settings are %j, then start-up fails naming the setting', (env, message) => {
    expect(() => temporal(env as Record<string, string>)).toThrow(message);
  });
});

describe('Kafka and schema registry security settings', () => {
  it('when nothing is set, then kafkajs gets neither ssl nor sasl (the local stack)', () => {
    const security = loadKafkaSecurity({});
    expect({ ...security.kafka }).toEqual({});
    expect(security.summary.registryAuth).toBe('none');
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512', 'SCRAM-SHA-512'])(
    'when KAFKA_SASL_MECHANISM=%s with a password file, then kafkajs gets that mechanism and the password',
    (mechanism) => {
      const file = join(pki.dir, 'sasl-password');
      writeFileSync(file, `${SASL_PASSWORD}\n`);
      const security = loadKafkaSecurity({
        KAFKA_TLS: 'true',
        KAFKA_TLS_CA: pki.caCert,
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: 'orderflow',
        KAFKA_SASL_PASSWORD_FILE: file,
      });
      expect({ ...security.kafka.sasl }).toEqual({
        mechanism: mechanism.toLowerCase(),
        username: 'orderflow',
        password: SASL_PASSWORD,
      });
      expect(security.kafka.ssl).toMatchObject({ ca: [expect.stringContaining('-----BEGIN CERTIFICATE')] });
    },
  );

  it('when KAFKA_SASL_MECHANISM=oauthbearer with a token file, then the provider re-reads the file (rotation)', async () => {
    const file = join(pki.dir, 'token');
    writeFileSync(file, 'token-1\n');
    const security = loadKafkaSecurity({
      KAFKA_SASL_MECHANISM: 'oauthbearer',
      KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: file,
    });
    const sasl = security.kafka.sasl as {
      mechanism: string;
      oauthBearerProvider: () => Promise<{ value: string }>;
    };
    expect(sasl.mechanism).toBe('oauthbearer');
    expect(await sasl.oauthBearerProvider()).toEqual({ value: 'token-1' });
    writeFileSync(file, 'token-2\n');
    expect(await sasl.oauthBearerProvider()).toEqual({ value: 'token-2' });
  });

  it.each([
    [
      { KAFKA_SASL_MECHANISM: 'gssapi' },
      /KAFKA_SASL_MECHANISM=gssapi is not supported: use one of plain, scram-sha-256, scram-sha-512, oauthbearer/,
    ],
    [{ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u' }, /needs KAFKA_SASL_PASSWORD/],
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'p' }, /needs KAFKA_SASL_USERNAME/],
    [{ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, /without KAFKA_SASL_MECHANISM/],
    [
      { KAFKA_SASL_PASSWORD: 'p', KAFKA_SASL_PASSWORD_FILE: '/f' },
      /KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE are both set/,
    ],
    [{ KAFKA_TLS_KEY: '/k.pem' }, /KAFKA_TLS_KEY is set without KAFKA_TLS_CERT/],
    [{ KAFKA_SASL_MECHANISM: 'oauthbearer' }, /needs KAFKA_SASL_OAUTHBEARER_TOKEN/],
    [
      { SCHEMA_REGISTRY_TOKEN: 't', SCHEMA_REGISTRY_USERNAME: 'u', SCHEMA_REGISTRY_PASSWORD: 'p' },
      /SCHEMA_REGISTRY_TOKEN and SCHEMA_REGISTRY_USERNAME\/PASSWORD/,
    ],
    [{ SCHEMA_REGISTRY_USERNAME: 'u' }, /SCHEMA_REGISTRY_USERNAME is set without SCHEMA_REGISTRY_PASSWORD/],
  ])('when the settings are %j, then start-up fails naming the setting', (env, message) => {
    expect(() => loadKafkaSecurity(env as NodeJS.ProcessEnv)).toThrow(message);
    // Through the one loader every event client uses, too.
    expect(() => loadEventsConfig(env as NodeJS.ProcessEnv)).toThrow(message);
  });

  describe('the registry client against an HTTP server', () => {
    let seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
      res.end(JSON.stringify({ subject: 's', version: 1, id: 7, schema: '"string"' }));
    });
    let url = '';
    beforeAll(async () => {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const address = server.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('when SCHEMA_REGISTRY_USERNAME/PASSWORD are set, then every request carries basic auth', async () => {
      seen = [];
      const security = loadKafkaSecurity({
        SCHEMA_REGISTRY_USERNAME: 'sr-user',
        SCHEMA_REGISTRY_PASSWORD: REGISTRY_PASSWORD,
      });
      await createSchemaRegistryClient(url, 2_000, security).getLatestSchemaId('orders.completed-value');
      expect(seen[0]?.authorization).toBe(
        `Basic ${Buffer.from(`sr-user:${REGISTRY_PASSWORD}`).toString('base64')}`,
      );
    });

    it('when SCHEMA_REGISTRY_TOKEN is set, then every request carries it as a bearer token', async () => {
      seen = [];
      const security = loadKafkaSecurity({ SCHEMA_REGISTRY_TOKEN: REGISTRY_TOKEN });
      await createSchemaRegistryClient(url, 2_000, security).getLatestSchemaId('orders.completed-value');
      expect(seen[0]?.authorization).toBe(`Bearer ${REGISTRY_TOKEN}`);
    });
  });
});

describe('secrets never reach logs or spans', () => {
  const SECRETS = [API_KEY, SASL_PASSWORD, REGISTRY_PASSWORD, REGISTRY_TOKEN];

  it('when the loaded configs and client options are logged, dumped, inspected and put on a span, then no secret appears', async () => {
    const { readFileSync } = await import('node:fs');
    const clientKeyPem = readFileSync(pki.clientKey, 'utf8');
    const keyBody = clientKeyPem.split('\n')[1]!; // a line of the key's base64
    const env = {
      TEMPORAL_API_KEY: API_KEY,
      KAFKA_TLS: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'orderflow',
      KAFKA_SASL_PASSWORD: SASL_PASSWORD,
      SCHEMA_REGISTRY_USERNAME: 'sr-user',
      SCHEMA_REGISTRY_PASSWORD: REGISTRY_PASSWORD,
    };
    const orderApi = loadOrderApiConfig(env);
    const mtls = loadConfig('worker', temporalSettings, {
      TEMPORAL_TLS_CERT: pki.clientCert,
      TEMPORAL_TLS_KEY: clientKeyPem,
      TEMPORAL_TLS_CA: pki.caCert,
    });
    const things: Record<string, unknown> = {
      orderApi,
      mtls,
      temporalApiKeyOptions: temporalConnectionOptions(orderApi),
      temporalMtlsOptions: temporalConnectionOptions(mtls),
      events: loadEventsConfig(env),
      kafkaSecurity: loadKafkaSecurity(env),
      registryAuthOnly: loadKafkaSecurity(env).registry,
      tokenAuth: loadKafkaSecurity({ SCHEMA_REGISTRY_TOKEN: REGISTRY_TOKEN }),
    };

    // A JSON log line through the services' logger (fastify's pino).
    let logged = '';
    const app = Fastify({
      logger: {
        level: 'info',
        stream: new Writable({
          write(chunk: Buffer, _enc, done) {
            logged += chunk.toString();
            done();
          },
        }),
      },
    });
    app.log.info(things, 'configuration at start');
    await app.close();

    // A span carrying the config the way code might attach it.
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const span = provider.getTracer('security-test').startSpan('start');
    for (const [name, value] of Object.entries(things)) {
      span.setAttribute(`config.${name}`, JSON.stringify(value));
      span.setAttribute(`config.${name}.text`, String(value));
    }
    span.recordException(new Error(`connect failed with ${String(orderApi.TEMPORAL_API_KEY)}`));
    span.end();
    await provider.forceFlush();
    const spans = JSON.stringify(exporter.getFinishedSpans().map((s) => ({ a: s.attributes, e: s.events })));

    const outputs = {
      logged,
      json: JSON.stringify(things),
      inspect: inspect(things, { depth: 10, showHidden: false }),
      template: `${String(orderApi.TEMPORAL_API_KEY)} ${Object.values(things).map(String).join(' ')}`,
      spans,
    };
    expect(logged).toContain('configuration at start');
    expect(outputs.json).toContain('[redacted');
    for (const [where, text] of Object.entries(outputs)) {
      for (const secret of [...SECRETS, keyBody])
        expect(text.includes(secret), `${where} leaks a secret`).toBe(false);
    }
    // What a reader does see: which setting holds it.
    expect(inspect(orderApi.TEMPORAL_API_KEY)).toBe('[redacted TEMPORAL_API_KEY]');
  });

  it('when a setting names an unreadable file holding key material, then the error does not print the value', () => {
    const pemBody = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC\nsecret';
    expect(() => temporal({ TEMPORAL_TLS_CERT: pki.clientCert, TEMPORAL_TLS_KEY: pemBody })).toThrow(
      /TEMPORAL_TLS_KEY: cannot read the file \(value not shown\)/,
    );
    try {
      temporal({ TEMPORAL_TLS_CERT: pki.clientCert, TEMPORAL_TLS_KEY: pemBody });
    } catch (err) {
      expect((err as Error).message).not.toContain('MIIEvQ');
    }
  });
});
