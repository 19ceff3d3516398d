// The lag drill's messages. A lag of 10,000 needs 10,000 unread messages, and real orders cannot make that
// many in a drill's time, so the drill publishes copies of one real event: the OrderCompleted event of an
// order it placed itself. Each copy is the original message byte for byte (same key, so the same partition;
// same value, so the same event id) plus the header `orderflow-drill: <run id>`, and without the original's
// trace headers, so the order's trace does not collect ten thousand consumer spans.
//
// What consumers do with them: the kit applies an event once per event id (consumers/README.md, "Delivery
// guarantees"), so every group, the paused one after it resumes, records the copies as duplicates
// (orderflow_consumer_events_total{outcome="duplicate"}) and changes nothing: no points, no emails, no audit
// rows. They stay in the topic until its 30-day retention, marked by their header.
import { kafkaSecurity } from '../../events/security.ts';
import { Kafka, logLevel, type IHeaders, type KafkaMessage } from 'kafkajs';
import { setTimeout as delay } from 'node:timers/promises';
import { consumers } from '../../consumers/registry.ts';
import { HEADERS } from '../../events/headers.ts';
import { consumerUrl, endpoints, getJson } from './endpoints.ts';
import { settleOrders, submitDrillOrder } from './traffic.ts';

export const DRILL_HEADER = 'orderflow-drill';
const BATCH = 1000;

export interface SourceEvent {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly orderId: string;
}

// The direct listener: the drill's own traffic never goes through the proxies it may be poisoning.
const kafka = (): Kafka =>
  new Kafka({
    clientId: 'orderflow-drill',
    brokers: [endpoints.kafka],
    logLevel: logLevel.ERROR,
    // TLS and SASL from the same KAFKA_* settings as every other client (events/security.ts).
    ...kafkaSecurity().kafka,
  });

/** Where the audit-log consumer recorded the order's OrderCompleted event (it keeps topic/partition/offset). */
export async function locateCompletedEvent(orderId: string, timeoutMs = 30_000): Promise<SourceEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { entries } = await getJson<{
      entries: { eventType: string; topic: string; partition: number; offset: string }[];
    }>(`${consumerUrl('auditLog')}/audit?orderId=${encodeURIComponent(orderId)}&eventType=OrderCompleted`);
    const entry = entries.find((e) => e.eventType === 'OrderCompleted');
    if (entry) return { topic: entry.topic, partition: entry.partition, offset: entry.offset, orderId };
    if (Date.now() > deadline)
      throw new Error(`${consumers.auditLog.name} has not recorded OrderCompleted of ${orderId}`);
    await delay(500);
  }
}

/** Reads one message by its position, in a throwaway consumer group that never commits. */
export async function readMessage(
  source: SourceEvent,
  runId: string,
  timeoutMs = 30_000,
): Promise<KafkaMessage> {
  const consumer = kafka().consumer({ groupId: `orderflow-drill-reader-${runId}`, maxWaitTimeInMs: 500 });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [source.topic] });
    const found = new Promise<KafkaMessage>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          if (partition === source.partition && message.offset === source.offset) resolve(message);
          return Promise.resolve();
        },
      });
    });
    consumer.seek({ topic: source.topic, partition: source.partition, offset: source.offset });
    const timeout = delay(timeoutMs).then(() => {
      throw new Error(
        `message ${source.topic}/${source.partition}@${source.offset} not read in ${timeoutMs} ms`,
      );
    });
    return await Promise.race([found, timeout]);
  } finally {
    await consumer.disconnect();
  }
}

/** Places one drill order and reads its OrderCompleted message: what the lag drill copies. */
export async function prepareCopySource(
  runId: string,
  log: (line: string) => void,
): Promise<{ topic: string; message: KafkaMessage }> {
  const orderId = await submitDrillOrder(`drill-${runId}-source`);
  const outcome = await settleOrders([orderId], 60_000);
  if (outcome.completed !== 1) throw new Error(`the drill's source order ${orderId} did not complete`);
  const source = await locateCompletedEvent(orderId);
  const message = await readMessage(source, runId);
  log(`[drill] copying OrderCompleted of ${orderId} (${source.topic}/${source.partition}@${source.offset})`);
  return { topic: source.topic, message };
}

/** The copy: same key and value, the drill header instead of the trace headers. */
export function drillCopyHeaders(original: IHeaders | undefined, runId: string): IHeaders {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(original ?? {})) {
    if (name === HEADERS.traceparent || name === HEADERS.tracestate || value === undefined) continue;
    headers[name] = value;
  }
  headers[DRILL_HEADER] = runId;
  return headers;
}

/** Publishes `count` copies of `message` to `topic`, in batches; returns how many the broker acknowledged. */
export async function publishCopies(
  topic: string,
  message: KafkaMessage,
  count: number,
  runId: string,
): Promise<number> {
  const producer = kafka().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const copy = {
      key: message.key,
      value: message.value,
      headers: drillCopyHeaders(message.headers, runId),
    };
    let sent = 0;
    while (sent < count) {
      const n = Math.min(BATCH, count - sent);
      await producer.send({ topic, acks: -1, messages: Array.from({ length: n }, () => copy) });
      sent += n;
    }
    return sent;
  } finally {
    await producer.disconnect();
  }
}

/** A group's lag as the lag exporter measures it (the number the alert is built on). */
export async function groupLag(group: string): Promise<number> {
  const { rows } = await getJson<{ rows: { group: string; lagMessages: number }[] }>(
    `${endpoints.lagExporter}/lag`,
  );
  return rows.filter((r) => r.group === group).reduce((sum, r) => sum + r.lagMessages, 0);
}
