// The consumer's Prometheus metrics, in a registry of its own (several consumers can share a process
// in tests). Label values are pre-initialised, so a counter is 0, not absent, before its first event.
import { Counter, Histogram, Registry } from 'prom-client';

export const OUTCOMES = ['processed', 'duplicate', 'dead_lettered'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface ConsumerMetrics {
  readonly registry: Registry;
  readonly events: Counter<'group' | 'topic' | 'outcome'>;
  readonly deadLetters: Counter<'group' | 'topic'>;
  readonly retries: Counter<'group' | 'topic'>;
  readonly replayed: Counter<'group' | 'topic' | 'outcome'>;
  readonly duration: Histogram<'group' | 'topic'>;
  /** Pre-initialises the label values of one group's topics. */
  init(group: string, topics: readonly string[]): void;
}

export function createConsumerMetrics(registry: Registry = new Registry()): ConsumerMetrics {
  const events = new Counter({
    name: 'orderflow_consumer_events_total',
    help: 'Order events handled by a consumer group, by outcome: processed (applied), duplicate (already applied, skipped), dead_lettered.',
    labelNames: ['group', 'topic', 'outcome'] as const,
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'orderflow_dead_letter_messages_total',
    help: 'Messages a consumer group sent to its dead-letter topic, by original topic.',
    labelNames: ['group', 'topic'] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'orderflow_consumer_retries_total',
    help: 'Failed processing attempts that were retried after a backoff.',
    labelNames: ['group', 'topic'] as const,
    registers: [registry],
  });
  const replayed = new Counter({
    name: 'orderflow_dead_letter_replays_total',
    help: 'Dead letters replayed to their consumer group, by outcome: processed, duplicate, dead_lettered (failed again).',
    labelNames: ['group', 'topic', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'orderflow_consumer_processing_seconds',
    help: 'Time from receiving a message to its commit (decode, handle, retries, dead-lettering).',
    labelNames: ['group', 'topic'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    events,
    deadLetters,
    retries,
    replayed,
    duration,
    init(group, topics) {
      for (const topic of topics) {
        for (const outcome of OUTCOMES) events.labels(group, topic, outcome).inc(0);
        deadLetters.labels(group, topic).inc(0);
        retries.labels(group, topic).inc(0);
      }
    },
  };
}
