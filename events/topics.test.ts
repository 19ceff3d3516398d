import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import kafkajs, { logLevel, type Admin } from 'kafkajs';
import { createKafkaClient } from './kafka.ts';
import { eventually, requireEventStack, uniqueId, urls, lazy } from '../test/support/events.ts';
import {
  createTopicsAndWait,
  deadLetterTopic,
  deadLetterTopicSpec,
  ensureTopics,
  orderTopicSpecs,
  THIRTY_DAYS_MS,
  topicSettingsFromEnv,
} from './topics.ts';

const { ConfigResourceTypes } = kafkajs;

describe('ensureTopics', () => {
  let admin: Admin;
  const created: string[] = [];

  // Set up once, on first use: if the stack is down, every test fails with the command that starts it
  // (a failing beforeAll would report the tests as skipped).
  const setup = lazy(async () => {
    await requireEventStack();
    admin = createKafkaClient({
      clientId: 'topics-test',
      brokers: [urls.kafka],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
  });
  beforeAll(() => void setup().catch(() => undefined));
  afterAll(async () => {
    if (created.length > 0) await admin.deleteTopics({ topics: created }).catch(() => undefined);
    await admin.disconnect();
  });

  async function describeTopic(topic: string) {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'cleanup.policy'] },
      ],
    });
    const entries = new Map(configs.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
    return {
      partitions: meta.topics[0]!.partitions.length,
      retentionMs: entries.get('retention.ms'),
      cleanup: entries.get('cleanup.policy'),
    };
  }

  it('when the topics do not exist, then they are created with the configured partitions and 30 days of retention; a second run changes nothing', async () => {
    await setup();
    const id = uniqueId('topics');
    const topics = { completed: `${id}.completed`, failed: `${id}.failed` };
    const settings = topicSettingsFromEnv({ ORDER_EVENTS_PARTITIONS: '4' });
    const specs = [...orderTopicSpecs(topics, settings), deadLetterTopicSpec(`${id}-group`, settings)];
    created.push(topics.completed, topics.failed, deadLetterTopic(`${id}-group`));

    const first = await ensureTopics(admin, specs);
    expect(first.map((r) => r.action)).toEqual(['created', 'created', 'created']);
    expect(await describeTopic(topics.completed)).toEqual({
      partitions: 4,
      retentionMs: String(THIRTY_DAYS_MS),
      cleanup: 'delete',
    });
    expect(await describeTopic(topics.failed)).toEqual({
      partitions: 4,
      retentionMs: String(THIRTY_DAYS_MS),
      cleanup: 'delete',
    });
    expect((await describeTopic(deadLetterTopic(`${id}-group`))).partitions).toBe(1);

    const second = await ensureTopics(admin, specs);
    expect(second.map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('when a topic exists with fewer partitions and the broker default retention, then ensureTopics raises the partitions and sets the retention', async () => {
    await setup();
    const topic = uniqueId('topics-repair');
    created.push(topic);
    await createTopicsAndWait(admin, { topics: [{ topic, numPartitions: 1 }] });

    const [result] = await ensureTopics(admin, [
      {
        name: topic,
        partitions: 6,
        replicationFactor: 1,
        config: { 'cleanup.policy': 'delete', 'retention.ms': String(THIRTY_DAYS_MS) },
      },
    ]);

    expect(result).toMatchObject({ topic, action: 'updated' });
    expect(result!.details).toContain('partitions 1 -> 6');
    expect(result!.details).toContainEqual(
      expect.stringMatching(new RegExp(`^retention\\.ms \\d+ -> ${THIRTY_DAYS_MS}$`)),
    );
    // KRaft: the controller has committed the change; the broker applies it a moment later.
    const after = await eventually(
      async () => {
        const d = await describeTopic(topic);
        return d.retentionMs === String(THIRTY_DAYS_MS) ? d : undefined;
      },
      10_000,
      'retention applied',
    );
    expect(after).toEqual({ partitions: 6, retentionMs: String(THIRTY_DAYS_MS), cleanup: 'delete' });
  });

  it('when ORDER_EVENTS_PARTITIONS is not a positive integer, then the settings fail with the variable named', () => {
    expect(() => topicSettingsFromEnv({ ORDER_EVENTS_PARTITIONS: 'many' })).toThrow(
      /ORDER_EVENTS_PARTITIONS/,
    );
    expect(topicSettingsFromEnv({})).toEqual({
      partitions: 6,
      retentionMs: THIRTY_DAYS_MS,
      replicationFactor: 1,
    });
  });
});
