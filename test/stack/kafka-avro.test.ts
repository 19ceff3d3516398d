import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { createTopicsAndWait } from '../../events/topics.ts';
import { ports, uniqueId, urls } from '../support/stack.ts';

const smokeSchema = {
  type: 'record',
  name: 'SmokeEvent',
  namespace: 'dev.orderflow.smoke',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amountCents', type: 'long' },
  ],
};

describe('Kafka with the schema registry', () => {
  it('when a message is Avro-encoded with a registered schema, then it round-trips through the broker and decodes', async () => {
    const registry = new SchemaRegistry({ host: urls.schemaRegistry });
    const topic = uniqueId('smoke.avro');
    const subject = `${topic}-value`;
    const { id: schemaId } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(smokeSchema) },
      { subject },
    );
    expect(schemaId).toBeGreaterThan(0);

    // Produce on the direct listener, consume through Toxiproxy: both paths must work.
    const direct = new Kafka({ clientId: 'smoke-direct', brokers: [urls.kafka], logLevel: logLevel.NOTHING });
    const proxied = new Kafka({
      clientId: 'smoke-proxied',
      brokers: [urls.kafkaProxied],
      logLevel: logLevel.NOTHING,
    });
    const admin = direct.admin();
    await admin.connect();
    await createTopicsAndWait(admin, { topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();

    const event = { id: uniqueId('evt'), amountCents: 4200 };
    const producer = direct.producer({ idempotent: true });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: event.id, value: await registry.encode(schemaId, event) }],
    });
    await producer.disconnect();

    const consumer = proxied.consumer({ groupId: uniqueId('smoke-group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ raw: Buffer; decoded: unknown }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message consumed within 30 s')), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve({ raw: message.value!, decoded: await registry.decode(message.value!) });
        },
      });
    });
    await consumer.disconnect();

    expect(received.raw.readUInt8(0)).toBe(0); // Confluent wire format: magic byte, then the schema id
    expect(received.raw.readUInt32BE(1)).toBe(schemaId);
    expect(received.decoded).toEqual(event);
  });

  it('when a client bootstraps through Toxiproxy, then the broker advertises the proxy address, not its own', async () => {
    const admin = new Kafka({
      clientId: 'smoke-meta',
      brokers: [urls.kafkaProxied],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.disconnect();
    expect(cluster.brokers.map((b) => b.port)).toEqual([ports.kafkaProxied]);
  });
});
