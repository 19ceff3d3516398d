// Kafka clients against a real SASL_SSL listener (a throwaway KRaft broker this file starts: SCRAM-SHA-512,
// TLS from a PEM keystore of a CA made here), configured only through the KAFKA_* settings that every
// orderflow client reads (events/security.ts → createKafkaClient). No stack needed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaClient } from '../../events/kafka.ts';
import { loadKafkaSecurity } from '../../events/security.ts';
import { startSaslSslBroker, type SaslSslBroker } from './kafka-broker.ts';
import { makeTestPki, type TestPki } from './pki.ts';
import { within } from './processes.ts';

let pki: TestPki;
let broker: SaslSslBroker;

beforeAll(async () => {
  pki = makeTestPki();
  broker = await startSaslSslBroker(pki);
}, 60_000);

afterAll(async () => {
  await broker?.stop();
  pki?.cleanup();
});

const settings = (overrides: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const passwordFile = join(pki.dir, 'kafka-password');
  writeFileSync(passwordFile, `${broker.password}\n`);
  return {
    KAFKA_TLS: 'true',
    KAFKA_TLS_CA: pki.caCert,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: broker.user,
    KAFKA_SASL_PASSWORD_FILE: passwordFile,
    ...overrides,
  };
};

const client = (env: NodeJS.ProcessEnv) =>
  createKafkaClient({
    clientId: 'security-test',
    logLevel: logLevel.NOTHING,
    brokers: [broker.bootstrap],
    security: loadKafkaSecurity(env),
    // The JVM on a busy machine answers its first TLS handshakes slowly.
    overrides: { connectionTimeout: 5_000, requestTimeout: 10_000 },
  });

describe('Kafka over SASL_SSL (SCRAM-SHA-512, private CA)', () => {
  it('when the settings carry the right password and CA, then a record is produced and consumed', async () => {
    const kafka = client(settings());
    const topic = `security-${Date.now()}`;
    const admin = kafka.admin();
    await within(20_000, 'admin connect', admin.connect());
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'ord_1', value: 'hello over SASL_SSL' }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `security-${Date.now()}`, sessionTimeout: 10_000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = new Promise<string>((resolve) => {
      void consumer.run({
        eachMessage: ({ message }) => Promise.resolve(resolve(message.value?.toString() ?? '')),
      });
    });
    try {
      expect(await within(25_000, 'consume', received)).toBe('hello over SASL_SSL');
    } finally {
      await consumer.disconnect();
    }
  }, 55_000);

  it('when the password is wrong, then connect fails within 10 s with an error naming KAFKA_SASL_PASSWORD', async () => {
    const started = Date.now();
    const producer = client(
      settings({ KAFKA_SASL_PASSWORD_FILE: '', KAFKA_SASL_PASSWORD: 'wrong' }),
    ).producer();
    const error = await within(10_000, 'connect with a wrong password', producer.connect()).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error?.message).toMatch(/KAFKA_SASL_PASSWORD/);
    expect(error?.message).toMatch(/rejected the SASL scram-sha-512 credentials of user orderflow/);
    expect(error?.message).not.toContain('wrong');
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);

  it('when the broker certificate is signed by a CA the client does not trust, then connect fails naming KAFKA_TLS_CA', async () => {
    const started = Date.now();
    const producer = client(settings({ KAFKA_TLS_CA: pki.rogueCaCert })).producer();
    const error = await within(10_000, 'connect with an untrusted CA', producer.connect()).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error?.message).toMatch(/KAFKA_TLS_CA/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);
});
