// What `npm run compare` can put on both pipelines: the October incident of ADR-0047's context, no fault at
// all (the baseline), or the fault of any chaos experiment (tools/chaos/scenarios.ts). The fault is on for the
// whole sending window and the drain; it is the same for both pipelines because both call the same services
// through the same Toxiproxy proxies.
import { isOutage } from '../chaos/outages.ts';
import { experiments } from '../chaos/scenarios.ts';
import { describeInjection, type Injection } from '../drill/injections.ts';

export interface CompareScenario {
  readonly name: string;
  readonly title: string;
  readonly injections: readonly Injection[];
}

/** Inventory answers 3 s late on every call: ADR-0047's "3-second inventory lock delay" (October flash sale). */
export const octoberIncident: CompareScenario = {
  name: 'october-incident',
  title: 'The October incident: inventory-service +3 s on every call',
  injections: [
    {
      kind: 'toxic',
      service: 'inventory',
      toxic: { type: 'latency', stream: 'downstream', attributes: { latency: 3000 } },
    },
  ],
};

export const baseline: CompareScenario = { name: 'baseline', title: 'No fault', injections: [] };

export function compareScenarios(): CompareScenario[] {
  return [
    octoberIncident,
    baseline,
    // An experiment's outages (a proxy disabled, a process stopped or killed) are not faults compare can hold.
    ...experiments.flatMap((e) => {
      const injections = e.method.injections.filter((i): i is Injection => !isOutage(i));
      return injections.length === e.method.injections.length
        ? [{ name: e.name, title: e.title, injections }]
        : [];
    }),
  ];
}

export const scenarioFor = (name: string): CompareScenario | undefined =>
  compareScenarios().find((s) => s.name === name);

export const describeScenario = (s: CompareScenario): string =>
  s.injections.length === 0 ? 'no fault' : s.injections.map(describeInjection).join('; ');
