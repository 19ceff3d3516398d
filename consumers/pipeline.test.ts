// The four consumers, in-process through the kit (own groups, temp SQLite files), fed by the publisher
// through Toxiproxy as the workers will.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lazy,
  createEventTestBed,
  eventually,
  sampleCompleted,
  sampleFailed,
  type EventTestBed,
} from '../test/support/events.ts';
import { type Aggregates, analyticsConsumer } from './analytics-consumer/consumer.ts';
import { auditLogConsumer, type AuditEntry } from './audit-log-consumer/consumer.ts';
import { emailConsumer, type SentEmail } from './email-consumer/consumer.ts';
import { isProcessed } from './kit/processed-events.ts';
import { startTestConsumer, type TestConsumer } from '../test/support/consumers.ts';
import { loyaltyConsumer, type LoyaltyAccount } from './loyalty-consumer/consumer.ts';

describe('the four consumers', () => {
  let bed: EventTestBed;
  let loyalty: TestConsumer;
  let analytics: TestConsumer;
  let email: TestConsumer;
  let audit: TestConsumer;
  const all = () => [loyalty, analytics, email, audit];

  // Set up once, on first use: if the stack is down, every test fails with the command that starts it
  // (a failing beforeAll would report the tests as skipped).
  const setup = lazy(async () => {
    bed = await createEventTestBed('pipeline');
    [loyalty, analytics, email, audit] = (await Promise.all(
      [loyaltyConsumer, analyticsConsumer, emailConsumer, auditLogConsumer].map((d) =>
        startTestConsumer(bed, d),
      ),
    )) as [TestConsumer, TestConsumer, TestConsumer, TestConsumer];
  });
  beforeAll(() => void setup().catch(() => undefined));
  afterAll(async () => {
    await Promise.all(all().map((c) => c?.stop()));
    await bed?.cleanup();
  });

  const auditOf = async (orderId: string) =>
    (await audit.get<{ entries: AuditEntry[] }>(`/audit?orderId=${orderId}`)).entries;
  const emailsOf = async (orderId: string) =>
    (await email.get<{ emails: SentEmail[] }>(`/emails?orderId=${orderId}`)).emails;
  const until = <T>(what: string, fn: () => Promise<T | undefined>) => eventually(fn, 20_000, what);

  it('when an OrderCompleted is published, then loyalty, analytics, email and audit-log each apply it', async () => {
    await setup();
    const before = await analytics.get<Aggregates>('/aggregates');
    const event = sampleCompleted({ totalCents: 12_345 });

    await bed.publisher.publishOrderCompleted(event);

    const account = await until('loyalty points', async () => {
      const a = await loyalty.get<LoyaltyAccount>(`/points/${event.customerId}`);
      return a.orders === 1 ? a : undefined;
    });
    expect(account).toMatchObject({
      customerId: event.customerId,
      points: 123,
      orders: 1,
      ledger: [{ orderId: event.orderId, points: 123, totalCents: 12_345, currency: 'usd' }],
    });

    const after = await until('analytics', async () => {
      const a = await analytics.get<Aggregates>('/aggregates');
      return a.completed.orders === before.completed.orders + 1 ? a : undefined;
    });
    const usd = (a: Aggregates) =>
      a.completed.byCurrency.find((c) => c.currency === 'usd')?.revenueCents ?? 0;
    expect(usd(after) - usd(before)).toBe(12_345);

    const [mail] = await until('confirmation email', async () =>
      (await emailsOf(event.orderId)).length === 1 ? emailsOf(event.orderId) : undefined,
    );
    expect(mail).toMatchObject({
      template: 'order_confirmation',
      customerId: event.customerId,
      recipient: `customer:${event.customerId}`,
      eventId: event.eventId,
    });
    expect(mail!.body).toContain(event.trackingNumber);
    expect(mail!.body).toContain('123.45 USD');

    const [entry] = await until('audit entry', async () =>
      (await auditOf(event.orderId)).length === 1 ? auditOf(event.orderId) : undefined,
    );
    expect(entry).toMatchObject({
      eventId: event.eventId,
      eventType: 'OrderCompleted',
      topic: bed.topics.completed,
      event,
    });
  });

  it('when an OrderFailed is published, then analytics, email and audit-log apply it and loyalty never receives it', async () => {
    await setup();
    const before = await analytics.get<Aggregates>('/aggregates');
    const event = sampleFailed({
      failure: { step: 'ProcessPayment', type: 'PaymentDeclined', message: 'card declined' },
    });

    await bed.publisher.publishOrderFailed(event);

    const after = await until('analytics failure', async () => {
      const a = await analytics.get<Aggregates>('/aggregates');
      return a.failed.orders === before.failed.orders + 1 ? a : undefined;
    });
    expect(after.failed.byType).toContainEqual({ failureType: 'PaymentDeclined', orders: 1 });
    expect(after.failed.byStep).toContainEqual({ failedStep: 'ProcessPayment', orders: 1 });

    const [mail] = await until('failure email', async () =>
      (await emailsOf(event.orderId)).length === 1 ? emailsOf(event.orderId) : undefined,
    );
    expect(mail).toMatchObject({
      template: 'order_failed',
      subject: `Your order ${event.orderId} could not be completed`,
    });
    expect(mail!.body).toContain('has been refunded');

    const [entry] = await until('audit entry', async () =>
      (await auditOf(event.orderId)).length === 1 ? auditOf(event.orderId) : undefined,
    );
    expect(entry).toMatchObject({ eventType: 'OrderFailed', topic: bed.topics.failed, event });

    expect(loyalty.consumer.topics).toEqual([bed.topics.completed]);
    expect(isProcessed(loyalty.db, event.eventId)).toBe(false);
    expect((await loyalty.get<LoyaltyAccount>(`/points/${event.customerId}`)).points).toBe(0);
  });

  it('when an event is published twice and the groups then re-read both topics from the beginning, then each consumer changes its state once', async () => {
    await setup();
    const event = sampleCompleted({ totalCents: 5_000 });
    const failed = sampleFailed();
    const duplicatesBefore = await Promise.all(all().map((c) => c.count('duplicate')));

    await bed.publisher.publishOrderCompleted(event);
    await bed.publisher.publishOrderCompleted(event); // a retried FinalizeOrder
    await bed.publisher.publishOrderFailed(failed);
    await bed.publisher.publishOrderFailed(failed);

    // Each consumer saw one duplicate per topic it subscribes to.
    await until('duplicates seen', async () => {
      const now = await Promise.all(all().map((c) => c.count('duplicate')));
      return now.every((n, i) => n - duplicatesBefore[i]! === all()[i]!.consumer.topics.length)
        ? true
        : undefined;
    });
    const snapshot = async () => ({
      points: await loyalty.get<LoyaltyAccount>(`/points/${event.customerId}`),
      aggregates: await analytics.get<Aggregates>('/aggregates'),
      emails: [...(await emailsOf(event.orderId)), ...(await emailsOf(failed.orderId))],
      audit: [...(await auditOf(event.orderId)), ...(await auditOf(failed.orderId))],
    });
    const once = await snapshot();
    expect(once.points).toMatchObject({ points: 50, orders: 1 });
    expect(once.emails).toHaveLength(2);
    expect(once.audit).toHaveLength(2);

    // Redelivery of everything: stop, reset the committed offsets to the beginning, start again.
    await Promise.all(all().map((c) => c.consumer.stop()));
    // resetOffsets joins the (empty) group to commit: groups in parallel, a group's topics one by one.
    await Promise.all(
      all().map(async (c) => {
        for (const topic of c.consumer.topics)
          await bed.admin.resetOffsets({ groupId: c.group, topic, earliest: true });
      }),
    );
    await Promise.all(all().map((c) => c.restart()));
    const ends = new Map<string, number>();
    for (const topic of [bed.topics.completed, bed.topics.failed]) {
      ends.set(
        topic,
        (await bed.admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0),
      );
    }
    await until('everything re-read as duplicates', async () => {
      const counts = await Promise.all(all().map((c) => c.count('duplicate')));
      return counts.every((n, i) => n === all()[i]!.consumer.topics.reduce((m, t) => m + ends.get(t)!, 0))
        ? true
        : undefined;
    });

    expect(await snapshot()).toEqual(once);
    for (const c of all()) expect(await c.count('processed')).toBe(0); // the restarted instances applied nothing
  });
});
