// Is the stack as a drill found it? No application fault on any downstream service, no toxic on any proxy,
// no consumer paused, Prometheus on the source rules without the drill label, Alertmanager on its normal
// timings, and no drill journal left. The drill prints this after cleaning up; the live test asserts it.
import { existsSync } from 'node:fs';
import { consumers, type ConsumerKey } from '../../consumers/registry.ts';
import { downstream, type DownstreamName } from '../../platform/downstream.ts';
import { loadedRouteTimings, normalRouteTimings } from './alertmanager-swap.ts';
import { activeFault, consumerPaused, toxicsByProxy } from './injections.ts';
import { defaultJournalPath } from './journal.ts';
import { loadedRules, notNormal } from './rules-swap.ts';

/** Everything that differs from normal operation; empty when the stack is restored. */
export async function restorationProblems(journalPath = defaultJournalPath): Promise<string[]> {
  const problems: string[] = [];
  const check = async (what: string, fn: () => Promise<string | undefined>): Promise<void> => {
    try {
      const problem = await fn();
      if (problem) problems.push(problem);
    } catch (err) {
      problems.push(`${what}: cannot check (${(err as Error).message})`);
    }
  };
  for (const service of Object.keys(downstream) as DownstreamName[]) {
    await check(downstream[service].name, async () => {
      const fault = await activeFault(service);
      return fault && `${downstream[service].name} still has a fault: ${JSON.stringify(fault)}`;
    });
  }
  await check('toxiproxy', async () => {
    const left = [...(await toxicsByProxy())].filter(([, toxics]) => toxics.length > 0);
    return left.length > 0
      ? `toxics left: ${left.map(([p, t]) => `${p} (${t.join(', ')})`).join('; ')}`
      : undefined;
  });
  for (const consumer of Object.keys(consumers) as ConsumerKey[]) {
    await check(consumers[consumer].name, async () =>
      (await consumerPaused(consumer)) ? `${consumers[consumer].name} is still paused` : undefined,
    );
  }
  await check('prometheus', async () => {
    const problem = notNormal(await loadedRules());
    return problem && `Prometheus: ${problem}`;
  });
  await check('alertmanager', async () => {
    const loaded = (await loadedRouteTimings()).join('; ');
    const normal = normalRouteTimings().join('; ');
    return loaded === normal ? undefined : `Alertmanager timings are ${loaded}, not ${normal}`;
  });
  if (existsSync(journalPath)) problems.push(`a drill journal is left: ${journalPath}`);
  return problems;
}
