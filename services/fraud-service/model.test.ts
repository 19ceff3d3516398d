import { describe, expect, it } from 'vitest';
import { AdmissionQueue } from './admission.ts';
import { decide } from './assessments.ts';
import { MIN_ITERATIONS, score } from './model.ts';

const input = {
  customerId: 'cust-1',
  amountCents: 5_000,
  itemCount: 2,
  country: 'US',
  paymentMethod: 'pm_card_visa',
};

describe('model', () => {
  it('when the same input is scored twice, then the score is identical', () => {
    expect(score(input, 100)).toBe(score(input, 100));
  });

  it('when the iteration count changes, then the score does not (the equilibrium is reached)', () => {
    expect(score(input, MIN_ITERATIONS)).toBe(score(input, 3_000));
  });

  it('when the inputs differ, then the score differs', () => {
    expect(score({ ...input, paymentMethod: 'pm_card_riskLevelElevated' }, 100)).toBeGreaterThan(
      score(input, 100),
    );
  });

  it('when ordinary orders under 2,000.00 are scored, then none reaches the 0.9 review threshold', () => {
    const countries = ['US', 'CA', 'GB', 'DE', 'FR', 'NL'];
    const methods = ['pm_card_visa', 'pm_card_mastercard', 'pm_card_amex'];
    let max = 0;
    for (let i = 0; i < 300; i++) {
      const s = score(
        {
          customerId: `cust-${i}`,
          amountCents: (i * 7_919) % 200_000,
          itemCount: 1 + (i % 50),
          country: countries[i % countries.length]!,
          paymentMethod: methods[i % methods.length]!,
        },
        MIN_ITERATIONS,
      );
      max = Math.max(max, s);
    }
    expect(max).toBeLessThan(0.9);
  });
});

describe('decide', () => {
  it('when nothing matches and the score is low, then the decision is approve with no reasons', () => {
    expect(decide(input, 0.1)).toEqual({ decision: 'approve', reasons: [] });
  });

  it('when the score is exactly 0.9, then the order goes to review', () => {
    expect(decide(input, 0.9)).toEqual({
      decision: 'review',
      reasons: ['model score above review threshold'],
    });
  });

  it('when the amount is over the reject limit, then the review-value reason is not added as well', () => {
    expect(decide({ ...input, amountCents: 2_000_000 }, 0.1)).toEqual({
      decision: 'reject',
      reasons: ['order value above limit'],
    });
  });
});

describe('AdmissionQueue', () => {
  it('when jobs are queued, then they run one at a time in arrival order', async () => {
    const queue = new AdmissionQueue(10);
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => queue.run(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
  });

  it('when the queue is full, then run throws OVERLOADED with a Retry-After of at least one second', async () => {
    const queue = new AdmissionQueue(1);
    const first = queue.run(() => 1);
    expect(() => queue.run(() => 2)).toThrow(
      expect.objectContaining({ code: 'OVERLOADED', status: 503, retryAfterSeconds: 1 }),
    );
    await expect(first).resolves.toBe(1);
    expect(queue.stats()).toMatchObject({ completed: 1, rejected: 1, waiting: 0 });
  });

  it('when a job throws, then its caller gets the error and the queue keeps going', async () => {
    const queue = new AdmissionQueue(10);
    const failing = queue.run(() => {
      throw new Error('boom');
    });
    const next = queue.run(() => 'ok');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
