import { describe, expect, it } from 'vitest';
import { eventually, urls } from '../support/stack.ts';

interface Target {
  labels: { job: string };
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

const stackJobs = [
  'prometheus',
  'alertmanager',
  'temporal',
  'kafka',
  'schema-registry',
  'tempo',
  'toxiproxy',
];

describe('Prometheus', () => {
  it('when the stack is up, then every stack component is a scrape target and is up', async () => {
    const targets = await eventually(
      async () => {
        const res = await fetch(`${urls.prometheus}/api/v1/targets?state=active`);
        const body = (await res.json()) as { data: { activeTargets: Target[] } };
        const byJob = new Map(body.data.activeTargets.map((t) => [t.labels.job, t]));
        const down = stackJobs.filter((job) => byJob.get(job)?.health !== 'up');
        if (down.length > 0)
          throw new Error(
            `not up yet: ${down.map((j) => `${j} (${byJob.get(j)?.lastError ?? 'no target'})`).join(', ')}`,
          );
        return byJob;
      },
      30_000,
      'all stack targets up',
    );
    expect([...targets.keys()]).toEqual(expect.arrayContaining(stackJobs));
  });

  it('when a job is scraped, then its samples are queryable through the API', async () => {
    const res = await fetch(
      `${urls.prometheus}/api/v1/query?query=${encodeURIComponent('up{job="temporal"}')}`,
    );
    const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
    expect(body.data.result[0]?.value[1]).toBe('1');
  });
});
