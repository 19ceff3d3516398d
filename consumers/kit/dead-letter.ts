// Dead letters: the original message (key, value and headers byte for byte) on the group's dead-letter
// topic `dlq.<group>`, plus headers saying why and where it came from. Nothing is decoded or rewritten,
// so a replay processes exactly what the consumer failed on.
import { type IHeaders, type Message } from 'kafkajs';
import { headerString } from '../../events/headers.ts';

export const DLQ_HEADERS = {
  error: 'dlq-error',
  errorType: 'dlq-error-type',
  consumer: 'dlq-consumer-group',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  originalTimestamp: 'dlq-original-timestamp',
  attempts: 'dlq-attempts',
  deadLetteredAt: 'dlq-dead-lettered-at',
  /** How many replays failed again (0 for a first death). */
  replays: 'dlq-replays',
} as const;

const OWN = new Set<string>(Object.values(DLQ_HEADERS));

/** The message as it arrived, with its provenance. */
export interface SourceRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Kafka message timestamp, epoch milliseconds as a string (kafkajs's form). */
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: IHeaders;
}

export interface DeadLetterInfo {
  readonly group: string;
  readonly error: { readonly type: string; readonly message: string };
  readonly attempts: number;
  readonly replays?: number;
  readonly at?: Date;
}

/** Error messages can be long (stack-like); headers should not be. */
const clip = (s: string, max = 2_000): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export function deadLetterMessage(source: SourceRecord, info: DeadLetterInfo): Message {
  const headers: IHeaders = {};
  for (const [k, v] of Object.entries(source.headers ?? {}))
    if (!OWN.has(k) && v !== undefined) headers[k] = v;
  Object.assign(headers, {
    [DLQ_HEADERS.error]: clip(info.error.message),
    [DLQ_HEADERS.errorType]: info.error.type,
    [DLQ_HEADERS.consumer]: info.group,
    [DLQ_HEADERS.originalTopic]: source.topic,
    [DLQ_HEADERS.originalPartition]: String(source.partition),
    [DLQ_HEADERS.originalOffset]: source.offset,
    [DLQ_HEADERS.originalTimestamp]: source.timestamp,
    [DLQ_HEADERS.attempts]: String(info.attempts),
    [DLQ_HEADERS.deadLetteredAt]: (info.at ?? new Date()).toISOString(),
    [DLQ_HEADERS.replays]: String(info.replays ?? 0),
  });
  return { key: source.key, value: source.value, headers };
}

export interface DeadLetter {
  /** The record as it was on its original topic: what a replay processes. */
  readonly source: SourceRecord;
  readonly group: string;
  readonly error: string;
  readonly errorType: string;
  readonly attempts: number;
  readonly replays: number;
  readonly deadLetteredAt: string;
}

/** Reads a dead letter's provenance back; throws when the headers are not a dead letter's. */
export function parseDeadLetter(message: {
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}): DeadLetter {
  const h = (name: string): string | undefined => headerString(message.headers, name);
  const topic = h(DLQ_HEADERS.originalTopic);
  const partition = Number(h(DLQ_HEADERS.originalPartition));
  const offset = h(DLQ_HEADERS.originalOffset);
  if (!topic || !Number.isInteger(partition) || !offset)
    throw new Error('not a dead letter: original topic/partition/offset headers missing');
  const original: IHeaders = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) if (!OWN.has(k)) original[k] = v;
  return {
    source: {
      topic,
      partition,
      offset,
      timestamp: h(DLQ_HEADERS.originalTimestamp) ?? '0',
      key: message.key,
      value: message.value,
      headers: original,
    },
    group: h(DLQ_HEADERS.consumer) ?? '',
    error: h(DLQ_HEADERS.error) ?? '',
    errorType: h(DLQ_HEADERS.errorType) ?? '',
    attempts: Number(h(DLQ_HEADERS.attempts) ?? 0),
    replays: Number(h(DLQ_HEADERS.replays) ?? 0),
    deadLetteredAt: h(DLQ_HEADERS.deadLetteredAt) ?? '',
  };
}
