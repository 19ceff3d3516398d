import { describe, expect, it } from 'vitest';
import { deadLetterMessage, DLQ_HEADERS, parseDeadLetter } from './dead-letter.ts';
import { backoffDelay, DEFAULT_RETRY, sleep } from './retry.ts';
import { ConsumerStoppingError } from './errors.ts';

describe('retry backoff', () => {
  it('when attempts fail, then the delay doubles from the base, is capped, and is jittered between half and all of it', () => {
    const lo = () => 0;
    const hi = () => 1;
    expect([1, 2, 3, 4].map((a) => backoffDelay(DEFAULT_RETRY, a, hi))).toEqual([200, 400, 800, 1600]);
    expect([1, 2, 3, 4].map((a) => backoffDelay(DEFAULT_RETRY, a, lo))).toEqual([100, 200, 400, 800]);
    expect(backoffDelay(DEFAULT_RETRY, 20, hi)).toBe(DEFAULT_RETRY.maxDelayMs);
  });

  it('when the consumer stops during a backoff, then the sleep ends at once with ConsumerStoppingError', async () => {
    const stop = new AbortController();
    const started = Date.now();
    const slept = sleep(10_000, stop.signal);
    stop.abort();
    await expect(slept).rejects.toBeInstanceOf(ConsumerStoppingError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('dead-letter messages', () => {
  it('when a record is dead-lettered, then key, value and headers are kept and its provenance can be read back', () => {
    const source = {
      topic: 'orders.completed',
      partition: 4,
      offset: '1234',
      timestamp: '1767000000000',
      key: Buffer.from('cus-1'),
      value: Buffer.from([0, 0, 0, 0, 9, 1]),
      headers: { 'event-id': Buffer.from('e-1'), traceparent: 'tp' },
    };
    const at = new Date('2026-01-01T00:00:00Z');

    const message = deadLetterMessage(source, {
      group: 'loyalty-consumer',
      error: { type: 'Error', message: 'x'.repeat(5_000) },
      attempts: 5,
      at,
    });
    const letter = parseDeadLetter({
      key: message.key as Buffer,
      value: message.value as Buffer,
      headers: message.headers!,
    });

    expect(message.headers![DLQ_HEADERS.error]).toHaveLength(2_000);
    expect(letter).toMatchObject({
      group: 'loyalty-consumer',
      errorType: 'Error',
      attempts: 5,
      replays: 0,
      deadLetteredAt: at.toISOString(),
    });
    expect(letter.source).toEqual({
      ...source,
      headers: { 'event-id': Buffer.from('e-1'), traceparent: 'tp' },
    });

    // Dead-lettered again after a failed replay: one set of dlq headers, replays counted.
    const again = deadLetterMessage(letter.source, {
      group: 'loyalty-consumer',
      error: { type: 'Error', message: 'still' },
      attempts: 5,
      replays: letter.replays + 1,
    });
    expect(
      parseDeadLetter({ key: again.key as Buffer, value: again.value as Buffer, headers: again.headers! }),
    ).toMatchObject({ error: 'still', replays: 1 });
  });

  it('when a message has no dead-letter headers, then parsing it fails', () => {
    expect(() => parseDeadLetter({ key: null, value: null, headers: {} })).toThrow(/not a dead letter/);
  });
});
