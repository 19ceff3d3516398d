// Test support: each test file gets its own topics (and so its own schema subjects), a publisher that
// goes through Toxiproxy like the workers', and sample events with unique ids. Tests fail with the
// command that starts the stack when Kafka or the registry is not there.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { type Admin, type Kafka, logLevel } from 'kafkajs';
import { eventually, requireComponent, uniqueId, urls } from './stack.ts';
import { createKafkaClient } from '../../events/kafka.ts';
import {
  orderCompletedEvent,
  orderFailedEvent,
  type OrderCompletedInput,
  type OrderFailedInput,
} from '../../events/order-events.ts';
import { createOrderEventPublisher, type OrderEventPublisher } from '../../events/publisher.ts';
import { registerSchemas, type RegisteredOrderSchemas } from '../../events/registry.ts';
import {
  deadLetterTopic,
  ensureTopics,
  orderTopicSpecs,
  type OrderTopics,
  type TopicSettings,
} from '../../events/topics.ts';
import { type OrderCompletedEvent, type OrderFailedEvent } from '../../contracts/events/types.ts';
import type { OrderRequest, Payment, Pricing, Shipment } from '../../contracts/order/types.ts';

export { eventually, uniqueId, urls };

export async function requireEventStack(): Promise<void> {
  await requireComponent('schema registry', { kind: 'http', url: `${urls.schemaRegistry}/subjects` });
  await requireComponent('kafka', {
    kind: 'check',
    describe: `Kafka metadata from ${urls.kafka}`,
    async run() {
      const admin = createKafkaClient({
        clientId: 'test-probe',
        brokers: [urls.kafka],
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      try {
        await admin.describeCluster();
      } finally {
        await admin.disconnect();
      }
    },
  });
}

export interface EventTestBed {
  readonly topics: OrderTopics;
  /** Topic settings of this bed (consumers started on it use them for what they create). */
  readonly settings: TopicSettings;
  /** Direct listener: admin work, raw producers and consumers in tests. */
  readonly kafka: Kafka;
  /** Through Toxiproxy, as the workers publish and the consumers consume. */
  readonly proxiedKafka: Kafka;
  readonly admin: Admin;
  readonly registry: SchemaRegistry;
  readonly registryUrl: string;
  readonly schemas: RegisteredOrderSchemas;
  readonly publisher: OrderEventPublisher;
  /** Consumer groups created by the test, whose dead-letter topics cleanup() deletes. */
  trackGroup(group: string): string;
  cleanup(): Promise<void>;
}

export async function createEventTestBed(prefix: string, partitions = 3): Promise<EventTestBed> {
  await requireEventStack();
  const id = uniqueId(prefix);
  const topics: OrderTopics = { completed: `${id}.completed`, failed: `${id}.failed` };
  const kafka = createKafkaClient({
    clientId: `${prefix}-test`,
    brokers: [urls.kafka],
    logLevel: logLevel.ERROR,
  });
  const proxiedKafka = createKafkaClient({
    clientId: `${prefix}-test-proxied`,
    brokers: [urls.kafkaProxied],
    logLevel: logLevel.ERROR,
  });
  const admin = kafka.admin();
  await admin.connect();
  const settings: TopicSettings = { partitions, retentionMs: 24 * 60 * 60 * 1000, replicationFactor: 1 };
  await ensureTopics(admin, orderTopicSpecs(topics, settings));
  const registry = new SchemaRegistry({ host: urls.schemaRegistry });
  const schemas = await registerSchemas(registry, { registryUrl: urls.schemaRegistry, topics });
  const publisher = createOrderEventPublisher({ kafka: proxiedKafka, registry, topics });
  const groups = new Set<string>();
  return {
    topics,
    settings,
    kafka,
    proxiedKafka,
    admin,
    registry,
    registryUrl: urls.schemaRegistry,
    schemas,
    publisher,
    trackGroup(group) {
      groups.add(group);
      return group;
    },
    async cleanup() {
      await publisher.disconnect().catch(() => undefined);
      const existing = new Set(await admin.listTopics());
      const mine = [topics.completed, topics.failed, ...[...groups].map(deadLetterTopic)].filter((t) =>
        existing.has(t),
      );
      if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

const sampleRequest = (customerId: string): OrderRequest => ({
  customerId,
  items: [
    { sku: 'SKU-RED-MUG', quantity: 2 },
    { sku: 'SKU-TEA-100G', quantity: 1 },
  ],
  // Present in the saga's input; must never reach an event.
  shippingAddress: { line1: '221B Baker Street', city: 'London', postalCode: 'NW1 6XE', country: 'GB' },
  paymentMethod: 'pm_card_visa',
});

export function sampleCompleted(
  overrides: Partial<Omit<OrderCompletedInput, 'request'>> & {
    customerId?: string;
    totalCents?: number;
  } = {},
): OrderCompletedEvent {
  const orderId = overrides.orderId ?? uniqueId('ord');
  const totalCents = overrides.totalCents ?? 4_599;
  // Full domain objects, as FinalizeOrder has them: the builder must pick only the contract's fields.
  const pricing: Pricing = {
    currency: 'usd',
    subtotalCents: totalCents - 399,
    discountCents: 0,
    taxCents: 399,
    totalCents,
    taxJurisdiction: 'US-CA',
  };
  const payment: Payment = {
    paymentIntentId: `pi_${orderId}`,
    chargeId: `ch_${orderId}`,
    amountCents: totalCents,
    currency: 'usd',
  };
  const shipment: Shipment = {
    shipmentId: orderId,
    trackingNumber: `1Z${orderId.toUpperCase().replaceAll('-', '')}`,
    carrier: 'ups',
  };
  return orderCompletedEvent({
    orderId,
    request: sampleRequest(overrides.customerId ?? uniqueId('cus')),
    pricing: overrides.pricing ?? pricing,
    payment: overrides.payment ?? payment,
    shipment: overrides.shipment ?? shipment,
    occurredAt: overrides.occurredAt ?? Date.now(),
  });
}

export function sampleFailed(
  overrides: Partial<Omit<OrderFailedInput, 'request'>> & { customerId?: string } = {},
): OrderFailedEvent {
  return orderFailedEvent({
    orderId: overrides.orderId ?? uniqueId('ord'),
    request: sampleRequest(overrides.customerId ?? uniqueId('cus')),
    status: overrides.status ?? 'failed',
    failure: overrides.failure ?? {
      step: 'CreateShipment',
      type: 'ShipmentRejected',
      message: 'carrier refused the parcel',
    },
    compensations: overrides.compensations ?? [
      { step: 'RefundPayment', outcome: 'completed' },
      { step: 'ReleaseInventoryReservation', outcome: 'completed' },
    ],
    ...(overrides.pricing === undefined
      ? { pricing: { currency: 'usd', totalCents: 4_599 } }
      : { pricing: overrides.pricing }),
    occurredAt: overrides.occurredAt ?? Date.now(),
  });
}

/** Reads `count` messages of a topic from the beginning with a throwaway group. */
export async function readMessages(kafka: Kafka, topic: string, count: number, timeoutMs = 20_000) {
  const consumer = kafka.consumer({ groupId: uniqueId('test-reader'), maxWaitTimeInMs: 500 });
  const seen: {
    partition: number;
    offset: string;
    key: string | null;
    value: Buffer | null;
    headers: Record<string, string>;
    timestamp: string;
  }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {}))
          if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[0] : v);
        seen.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value,
          headers,
          timestamp: message.timestamp,
        });
        return Promise.resolve();
      },
    });
    await eventually(
      () => Promise.resolve(seen.length >= count ? true : undefined),
      timeoutMs,
      `${count} message(s) on ${topic}`,
    );
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** Runs `fn` once, on first call; every call gets the same promise (and the same failure). */
export function lazy<T>(fn: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= fn());
}
