// Lag measured from outside: a paused consumer's lag rises in messages and in seconds, and falls to 0
// once it resumes. The monitor uses the direct listener, the consumer goes through Toxiproxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEventTestBed,
  eventually,
  sampleCompleted,
  type EventTestBed,
  lazy,
} from '../../test/support/events.ts';
import { auditLogConsumer } from '../audit-log-consumer/consumer.ts';
import { startTestConsumer, type TestConsumer } from '../../test/support/consumers.ts';
import { createLagMonitor, type LagMonitor, type PartitionLag } from './lag.ts';

const total = (rows: readonly PartitionLag[]) => rows.reduce((n, r) => n + r.lagMessages, 0);
const oldest = (rows: readonly PartitionLag[]) => Math.max(0, ...rows.map((r) => r.lagSeconds ?? Number.NaN));

describe('consumer lag', () => {
  let bed: EventTestBed;
  let consumer: TestConsumer;
  let monitor: LagMonitor;
  // The monitor's clock runs this far ahead of the real one: the test moves it instead of sleeping.
  let ahead = 0;

  // Set up once, on first use: if the stack is down, every test fails with the command that starts it
  // (a failing beforeAll would report the tests as skipped).
  const setup = lazy(async () => {
    bed = await createEventTestBed('lag', 2);
    consumer = await startTestConsumer(bed, auditLogConsumer);
    monitor = createLagMonitor({
      kafka: bed.kafka,
      targets: [{ group: consumer.group, topics: consumer.consumer.topics }],
      now: () => Date.now() + ahead,
    });
    await monitor.start();
  });
  beforeAll(() => void setup().catch(() => undefined));
  afterAll(async () => {
    await monitor?.stop();
    await consumer?.stop();
    await bed?.cleanup();
  });

  it('when a consumer is paused, then its lag gauges rise in messages and seconds; when it resumes, then they fall to 0', async () => {
    await setup();
    const idle = await monitor.refresh();
    expect(idle).toHaveLength(4); // 2 topics x 2 partitions
    expect(total(idle)).toBe(0);
    expect(idle.every((r) => r.lagSeconds === 0)).toBe(true);

    consumer.consumer.pause();
    for (let i = 0; i < 5; i++) await bed.publisher.publishOrderCompleted(sampleCompleted());
    ahead += 1_500; // the oldest unconsumed message is now at least 1.5 s old to the monitor

    const behind = await monitor.refresh();
    expect(total(behind)).toBe(5);
    expect(oldest(behind)).toBeGreaterThanOrEqual(1.5);
    expect(oldest(behind)).toBeLessThan(30);
    const text = await monitor.metrics.registry.metrics();
    const sum = (name: string) =>
      [
        ...text.matchAll(
          new RegExp(
            `^${name}\\{group="${consumer.group}",topic="${bed.topics.completed}",partition="\\d+"\\} (\\S+)$`,
            'gm',
          ),
        ),
      ].reduce((n, m) => n + Number(m[1]), 0);
    expect(sum('kafka_consumergroup_lag_messages')).toBe(5);
    expect(sum('kafka_consumergroup_lag_seconds')).toBeGreaterThanOrEqual(1.5);

    // Still paused: the age keeps growing even though nothing new arrives.
    ahead += 1_000;
    // One more second on the monitor's clock (0.999: the ages are floats divided from milliseconds).
    expect(oldest(await monitor.refresh())).toBeGreaterThan(oldest(behind) + 0.999);

    consumer.consumer.resume();
    const caughtUp = await eventually(
      async () => {
        const rows = await monitor.refresh();
        return total(rows) === 0 ? rows : undefined;
      },
      20_000,
      'lag back to 0',
    );
    expect(caughtUp.every((r) => r.lagSeconds === 0)).toBe(true);
    const after = await monitor.metrics.registry.metrics();
    expect(after).toMatch(
      new RegExp(
        `^kafka_consumergroup_lag_seconds\\{group="${consumer.group}",topic="${bed.topics.completed}",partition="0"\\} 0$`,
        'm',
      ),
    );
  });

  it('when a group has never consumed, then its lag is everything retained', async () => {
    await setup();
    const group = bed.trackGroup('never-started-consumer');
    const dead = createLagMonitor({ kafka: bed.kafka, targets: [{ group, topics: [bed.topics.completed] }] });
    await dead.start();
    try {
      const rows = await dead.refresh();
      const high = (await bed.admin.fetchTopicOffsets(bed.topics.completed)).reduce(
        (n, p) => n + Number(p.high) - Number(p.low),
        0,
      );
      expect(total(rows)).toBe(high);
      expect(rows).toHaveLength(2); // one per partition of the topic
      expect(rows.every((r) => r.committedOffset === -1)).toBe(true);
      expect(oldest(rows)).toBeGreaterThan(0);
    } finally {
      await dead.stop();
    }
  });
});
