// What the k6 script (k6/orders.js) receives in LOAD_CONFIG: its scenarios as k6 arrival-rate executors
// (timeUnit 1h, integral rates), the mix and the run id. Pure: unit-tested without k6.
import { splitRate, type Mix } from './mix.ts';
import type { Stage } from './profiles.ts';

export interface Schedule {
  /** Constant orders/h, or the stages of a ramping rate. */
  readonly rate: number;
  readonly seconds: number;
  readonly stages?: readonly Stage[];
}

export interface LoadConfig {
  readonly runId: string;
  readonly baseUrl: string;
  readonly requestTimeout: string;
  readonly scenarios: Record<string, Record<string, unknown>>;
  readonly mix: Pick<Mix, 'catalog' | 'kinds' | 'review' | 'reviewer'>;
}

/** VUs for an arrival rate: a second's worth of arrivals at the given iteration time, with headroom. */
function vus(ratePerHour: number, iterationSeconds: number): { preAllocatedVUs: number; maxVUs: number } {
  const concurrent = Math.ceil((ratePerHour / 3600) * iterationSeconds);
  return { preAllocatedVUs: Math.max(5, 2 * concurrent + 5), maxVUs: Math.max(20, 10 * concurrent + 20) };
}

function executor(
  exec: string,
  schedule: Schedule,
  share: (rate: number) => number,
  iterationSeconds: number,
): Record<string, unknown> | undefined {
  const peak = schedule.stages ? Math.max(...schedule.stages.map((s) => s.rate)) : schedule.rate;
  if (share(peak) < 1) return undefined;
  if (!schedule.stages) {
    return {
      executor: 'constant-arrival-rate',
      exec,
      rate: share(schedule.rate),
      timeUnit: '1h',
      duration: `${schedule.seconds}s`,
      ...vus(share(schedule.rate), iterationSeconds),
    };
  }
  return {
    executor: 'ramping-arrival-rate',
    exec,
    startRate: share(schedule.stages[0]?.rate ?? 0),
    timeUnit: '1h',
    stages: schedule.stages.map((s) => ({ duration: `${s.seconds}s`, target: share(s.rate) })),
    ...vus(share(peak), iterationSeconds),
  };
}

export function loadConfig(runId: string, baseUrl: string, mix: Mix, schedule: Schedule): LoadConfig {
  const scenarios: Record<string, Record<string, unknown>> = {};
  const orders = executor('orders', schedule, (r) => splitRate(mix, r).orders, 1);
  if (orders) scenarios.orders = orders;
  // A reviewer iteration waits for the review and thinks: it holds its VU for several seconds.
  const review = executor(
    'review',
    schedule,
    (r) => splitRate(mix, r).review,
    mix.reviewer.waitSeconds + mix.reviewer.thinkSeconds + 2,
  );
  if (review) scenarios.review = review;
  return {
    runId,
    baseUrl,
    requestTimeout: '10s',
    scenarios,
    mix: { catalog: mix.catalog, kinds: mix.kinds, review: mix.review, reviewer: mix.reviewer },
  };
}
