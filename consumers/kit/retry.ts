// Retry policy of one message: exponential backoff with full jitter on the upper half, capped.
import { ConsumerStoppingError } from './errors.ts';

export interface RetryPolicy {
  /** Attempts in total before the message is dead-lettered. */
  readonly attempts: number;
  /** Delay after the first failed attempt; doubles each time. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ attempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 });

/** Delay after failed attempt `attempt` (1-based): base * 2^(attempt-1), capped, jittered to 50-100 %. */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** Sleeps, or rejects with ConsumerStoppingError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ConsumerStoppingError('consumer is stopping'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ConsumerStoppingError('consumer is stopping'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
