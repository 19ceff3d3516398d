import { describe, expect, it } from 'vitest';
import { type Kafka, type Producer } from 'kafkajs';
import { createSafeProducer } from './producer.ts';

/** A kafkajs stand-in: each producer() is a new "producer id"; sends fail while `failures` > 0. */
function fakeKafka() {
  const log: { producer: number; event: string }[] = [];
  let producers = 0;
  let failures = 0;
  const kafka = {
    producer: () => {
      const id = ++producers;
      return {
        connect: () => Promise.resolve(log.push({ producer: id, event: 'connect' })).then(() => undefined),
        disconnect: () =>
          Promise.resolve(log.push({ producer: id, event: 'disconnect' })).then(() => undefined),
        send: () => {
          log.push({ producer: id, event: 'send' });
          if (failures > 0) {
            failures--;
            return Promise.reject(new Error('request timed out'));
          }
          return Promise.resolve([{ topicName: 't', partition: 0, errorCode: 0, baseOffset: '0' }]);
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, log, failNext: (n: number) => (failures = n) };
}

describe('safe producer', () => {
  it('when a send fails, then that producer is discarded and the next send goes through a new one', async () => {
    const { kafka, log, failNext } = fakeKafka();
    const producer = createSafeProducer(kafka);

    await producer.send({ topic: 't', messages: [{ value: 'a' }] });
    failNext(1);
    await expect(producer.send({ topic: 't', messages: [{ value: 'b' }] })).rejects.toThrow(
      'request timed out',
    );
    await producer.send({ topic: 't', messages: [{ value: 'b' }] });
    await producer.send({ topic: 't', messages: [{ value: 'c' }] });

    expect(log).toEqual([
      { producer: 1, event: 'connect' },
      { producer: 1, event: 'send' },
      { producer: 1, event: 'send' },
      { producer: 1, event: 'disconnect' },
      { producer: 2, event: 'connect' },
      { producer: 2, event: 'send' },
      { producer: 2, event: 'send' },
    ]);
  });
});
