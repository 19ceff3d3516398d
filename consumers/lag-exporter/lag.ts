// Consumer lag per group, topic and partition, measured from outside the consumers (the admin API), so
// a paused, crashed or never-started consumer shows its lag too.
//
// lag in messages = high watermark - committed offset of the group. A partition the group never
// committed counts from the log start offset (our consumers start from the beginning), and so does a
// committed offset that retention has already deleted.
//
// lag in seconds = age of the oldest unconsumed message: now - timestamp of the message at the committed
// offset (the next one the group will read); 0 when the lag is 0. It answers "how stale is what this
// consumer knows", grows steadily while a consumer is stuck even if nothing new arrives, and drops to 0
// when it catches up. Timestamps are the producer's CreateTime, read by a probe consumer (its own
// throwaway group, never commits) that seeks to the committed offset and then tails the topics, caching
// the timestamps of offsets at or above the lowest committed offset, so steady state needs no seeks.
import { randomUUID } from 'node:crypto';
import { type Admin, type Consumer, type Kafka } from 'kafkajs';
import { Counter, Gauge, Registry } from 'prom-client';
import { type EventLogger } from '../../events/kafka.ts';

export interface LagTarget {
  readonly group: string;
  readonly topics: readonly string[];
}

export interface PartitionLag {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** -1 when the group has no committed offset for the partition. */
  readonly committedOffset: number;
  readonly logStartOffset: number;
  readonly highWatermark: number;
  readonly lagMessages: number;
  /** Null while the oldest unconsumed message's timestamp is not known yet. */
  readonly lagSeconds: number | null;
}

const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/** Max cached timestamps per partition: bounds memory when a consumer is far behind. */
const MAX_CACHED_PER_PARTITION = 200_000;

interface TimestampProbe {
  start(): Promise<void>;
  /** Only offsets >= floor are cached from now on; older ones are forgotten. */
  setFloor(topic: string, partition: number, floor: number): void;
  timestamps(
    wants: readonly { topic: string; partition: number; offset: number }[],
    waitMs: number,
  ): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

function createTimestampProbe(kafka: Kafka, topics: readonly string[], log?: EventLogger): TimestampProbe {
  const consumer: Consumer = kafka.consumer({
    groupId: `kafka-lag-exporter.probe.${randomUUID()}`,
    maxWaitTimeInMs: 500,
    allowAutoTopicCreation: false,
  });
  const cache = new Map<string, Map<number, number>>();
  const floors = new Map<string, number>();
  const seeks = new Map<string, number>();
  let waiters: { key: string; offset: number; resolve: () => void }[] = [];

  const wake = (): void => {
    const still: typeof waiters = [];
    for (const w of waiters) {
      if (cache.get(w.key)?.has(w.offset)) w.resolve();
      else still.push(w);
    }
    waiters = still;
  };

  return {
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topics: [...topics], fromBeginning: false });
      await consumer.run({
        autoCommit: false,
        eachBatch: async (payload) => {
          const { batch } = payload;
          if (payload.isStale()) return; // a seek is pending for this partition: this data is from before it
          const key = tpKey(batch.topic, batch.partition);
          const floor = floors.get(key);
          if (floor === undefined) return;
          let entries = cache.get(key);
          if (!entries) {
            entries = new Map<number, number>();
            cache.set(key, entries);
          }
          for (const m of batch.messages) {
            const offset = Number(m.offset);
            if (offset >= floor && entries.size < MAX_CACHED_PER_PARTITION)
              entries.set(offset, Number(m.timestamp));
            if (seeks.get(key) === offset) seeks.delete(key);
          }
          wake();
          await Promise.resolve();
        },
      });
    },
    setFloor(topic, partition, floor) {
      const key = tpKey(topic, partition);
      floors.set(key, floor);
      const entries = cache.get(key);
      if (entries) for (const offset of entries.keys()) if (offset < floor) entries.delete(offset);
    },
    async timestamps(wants, waitMs) {
      const pending: Promise<void>[] = [];
      const seekTo = new Map<string, { topic: string; partition: number; offset: number }>();
      for (const w of wants) {
        const key = tpKey(w.topic, w.partition);
        if (cache.get(key)?.has(w.offset)) continue;
        pending.push(new Promise<void>((resolve) => waiters.push({ key, offset: w.offset, resolve })));
        const inFlight = seeks.get(key);
        if (inFlight !== undefined && inFlight <= w.offset) continue;
        const current = seekTo.get(key);
        if (!current || w.offset < current.offset) seekTo.set(key, w);
      }
      for (const [key, w] of seekTo) {
        seeks.set(key, w.offset);
        consumer.seek({ topic: w.topic, partition: w.partition, offset: String(w.offset) });
      }
      if (pending.length > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all(pending),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs))),
        ]);
        clearTimeout(timer);
      }
      // Unresolved waiters (timed out) are dropped; the next refresh asks again.
      const wanted = new Set(wants.map((w) => tpKey(w.topic, w.partition)));
      waiters = waiters.filter((w) => !wanted.has(w.key));
      const result = new Map<string, number>();
      for (const w of wants) {
        const ts = cache.get(tpKey(w.topic, w.partition))?.get(w.offset);
        if (ts !== undefined) result.set(`${tpKey(w.topic, w.partition)}\u0000${w.offset}`, ts);
      }
      if (result.size < wants.length)
        log?.debug?.({ missing: wants.length - result.size }, 'lag probe: some timestamps not read yet');
      return result;
    },
    async stop() {
      await consumer.disconnect();
    },
  };
}

export interface LagMetrics {
  readonly registry: Registry;
  readonly lagMessages: Gauge<'group' | 'topic' | 'partition'>;
  readonly lagSeconds: Gauge<'group' | 'topic' | 'partition'>;
  readonly refreshErrors: Counter;
  readonly lastRefresh: Gauge;
}

export function createLagMetrics(registry: Registry = new Registry()): LagMetrics {
  return {
    registry,
    lagMessages: new Gauge({
      name: 'kafka_consumergroup_lag_messages',
      help: 'Messages not yet consumed by the group: high watermark - committed offset (log start when none is committed).',
      labelNames: ['group', 'topic', 'partition'] as const,
      registers: [registry],
    }),
    lagSeconds: new Gauge({
      name: 'kafka_consumergroup_lag_seconds',
      help: 'Age of the oldest message the group has not consumed (now - timestamp of the message at the committed offset); 0 when caught up.',
      labelNames: ['group', 'topic', 'partition'] as const,
      registers: [registry],
    }),
    refreshErrors: new Counter({
      name: 'orderflow_lag_exporter_refresh_errors_total',
      help: 'Lag refreshes that failed.',
      registers: [registry],
    }),
    lastRefresh: new Gauge({
      name: 'orderflow_lag_exporter_last_refresh_timestamp_seconds',
      help: 'When lag was last measured successfully.',
      registers: [registry],
    }),
  };
}

export interface LagMonitorOptions {
  /** A client on the direct listener: measuring must not suffer the chaos it measures. */
  readonly kafka: Kafka;
  readonly targets: readonly LagTarget[];
  readonly metrics?: LagMetrics;
  readonly log?: EventLogger;
  /** How long a refresh waits for message timestamps it has not read yet. */
  readonly timestampWaitMs?: number;
  readonly now?: () => number;
}

export interface LagMonitor {
  readonly metrics: LagMetrics;
  start(): Promise<void>;
  /** Measures now, updates the gauges, returns the rows. */
  refresh(): Promise<PartitionLag[]>;
  /** Refreshes every `intervalMs` until stop(). */
  runEvery(intervalMs: number): void;
  last(): { readonly at: number | undefined; readonly rows: readonly PartitionLag[] };
  stop(): Promise<void>;
}

export function createLagMonitor(options: LagMonitorOptions): LagMonitor {
  const { kafka, targets, log } = options;
  const metrics = options.metrics ?? createLagMetrics();
  const now = options.now ?? Date.now;
  const topics = [...new Set(targets.flatMap((t) => t.topics))];
  const probe = createTimestampProbe(kafka, topics, log);
  const admin: Admin = kafka.admin();
  let lastAt: number | undefined;
  let lastRows: PartitionLag[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function refresh(): Promise<PartitionLag[]> {
    const offsetsByTopic = new Map(
      await Promise.all(topics.map(async (t) => [t, await admin.fetchTopicOffsets(t)] as const)),
    );
    const committedByGroup = await Promise.all(
      targets.map(
        async (t) => [t, await admin.fetchOffsets({ groupId: t.group, topics: [...t.topics] })] as const,
      ),
    );

    const rows: Omit<PartitionLag, 'lagSeconds'>[] = [];
    const floors = new Map<string, { topic: string; partition: number; floor: number }>();
    for (const [target, committed] of committedByGroup) {
      for (const topic of target.topics) {
        for (const p of offsetsByTopic.get(topic) ?? []) {
          const c = Number(
            committed.find((x) => x.topic === topic)?.partitions.find((x) => x.partition === p.partition)
              ?.offset ?? -1,
          );
          const low = Number(p.low);
          const high = Number(p.high);
          const from = Math.max(c, low);
          rows.push({
            group: target.group,
            topic,
            partition: p.partition,
            committedOffset: c,
            logStartOffset: low,
            highWatermark: high,
            lagMessages: Math.max(0, high - from),
          });
          const key = tpKey(topic, p.partition);
          const f = floors.get(key);
          if (!f || from < f.floor) floors.set(key, { topic, partition: p.partition, floor: from });
        }
      }
    }
    for (const f of floors.values()) probe.setFloor(f.topic, f.partition, f.floor);
    const wants = rows
      .filter((r) => r.lagMessages > 0)
      .map((r) => ({
        topic: r.topic,
        partition: r.partition,
        offset: Math.max(r.committedOffset, r.logStartOffset),
      }));
    const timestamps = await probe.timestamps(wants, options.timestampWaitMs ?? 2_000);
    const at = now();

    const result: PartitionLag[] = rows.map((r) => {
      const labels = { group: r.group, topic: r.topic, partition: String(r.partition) };
      metrics.lagMessages.set(labels, r.lagMessages);
      let seconds: number | null = 0;
      if (r.lagMessages > 0) {
        const ts = timestamps.get(
          `${tpKey(r.topic, r.partition)}\u0000${Math.max(r.committedOffset, r.logStartOffset)}`,
        );
        seconds = ts === undefined ? null : Math.max(0, (at - ts) / 1000);
      }
      if (seconds !== null) metrics.lagSeconds.set(labels, seconds); // unknown: keep the last value
      return { ...r, lagSeconds: seconds };
    });
    metrics.lastRefresh.set(at / 1000);
    lastAt = at;
    lastRows = result;
    return result;
  }

  return {
    metrics,
    async start() {
      await admin.connect();
      await probe.start();
    },
    refresh,
    runEvery(intervalMs) {
      const tick = () => {
        running = refresh()
          .catch((err: unknown) => {
            metrics.refreshErrors.inc();
            log?.warn({ err }, 'lag refresh failed');
          })
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, intervalMs);
          });
      };
      tick();
    },
    last: () => ({ at: lastAt, rows: lastRows }),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await probe.stop();
      await admin.disconnect();
    },
  };
}
