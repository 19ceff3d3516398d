// An idempotent kafkajs producer that is replaced after any failed send.
//
// Why: on a failed produce request kafkajs rolls its per-partition sequence number back. If the broker
// had in fact appended that batch (only the response was lost), the next send to the partition reuses
// the sequence, and the broker acknowledges it as a duplicate of the earlier batch without writing it:
// a different message (another order's event, another dead letter) would be lost silently. A new
// producer gets a new producer id and fresh sequences, so after a failure the worst case is that the
// retried message is written twice: a duplicate, which consumers dedupe by event id.
import { Partitioners, type Kafka, type Producer, type ProducerRecord, type RecordMetadata } from 'kafkajs';
import { type EventLogger } from './kafka.ts';

export interface SafeProducer {
  connect(): Promise<void>;
  /** acks -1 always (the idempotent producer requires it). Throws on any failure. */
  send(record: Omit<ProducerRecord, 'acks'>): Promise<RecordMetadata[]>;
  disconnect(): Promise<void>;
}

interface Slot {
  readonly producer: Producer;
  readonly connected: Promise<void>;
}

export function createSafeProducer(kafka: Kafka, log?: EventLogger): SafeProducer {
  let slot: Slot | undefined;

  function current(): Slot {
    if (slot) return slot;
    const producer = kafka.producer({
      idempotent: true, // kafkajs warns that limited retries weaken exactly-once: see above for why that is safe here
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner, // murmur2: the Java client's key -> partition mapping
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    const fresh: Slot = { producer, connected: producer.connect() };
    fresh.connected.catch(() => discard(fresh));
    slot = fresh;
    return fresh;
  }

  function discard(which: Slot): void {
    if (slot !== which) return;
    slot = undefined;
    which.producer
      .disconnect()
      .catch((err: unknown) => log?.warn({ err }, 'replaced producer did not disconnect cleanly'));
  }

  return {
    async connect() {
      await current().connected;
    },
    async send(record) {
      const attempt = current();
      try {
        await attempt.connected;
        return await attempt.producer.send({ timeout: 2_000, ...record, acks: -1 });
      } catch (err) {
        discard(attempt);
        throw err;
      }
    },
    async disconnect() {
      const last = slot;
      slot = undefined;
      if (last) await last.producer.disconnect();
    },
  };
}
