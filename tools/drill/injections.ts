// The faults a drill injects and how each is undone: an application fault on a downstream service
// (platform/faults.ts, PUT /admin/faults), a Toxiproxy toxic on a service's proxy, a paused consumer
// (its own POST /admin/pause: it stays in its group and ready, it just stops reading). Every injection is
// journaled before it is made (journal.ts), and `undo` takes only the journaled facts.
import { type Faults } from '../../platform/faults.ts';
import { downstream, type DownstreamName } from '../../platform/downstream.ts';
import { consumers, type ConsumerKey } from '../../consumers/registry.ts';
import { call, consumerUrl, endpoints, getJson, serviceUrl } from './endpoints.ts';
import { type DrillAction, type Journal } from './journal.ts';

export interface Toxic {
  readonly type: 'latency';
  readonly stream: 'downstream' | 'upstream';
  readonly attributes: { readonly latency: number; readonly jitter?: number };
}

export type Injection =
  | { readonly kind: 'service-fault'; readonly service: DownstreamName; readonly fault: Partial<Faults> }
  | { readonly kind: 'toxic'; readonly service: DownstreamName; readonly toxic: Toxic }
  | { readonly kind: 'consumer-paused'; readonly consumer: ConsumerKey };

/** Drill toxics are named so, which tells them apart from anyone else's. */
export const DRILL_TOXIC_PREFIX = 'drill-';
const toxicName = (toxic: Toxic): string => `${DRILL_TOXIC_PREFIX}${toxic.type}-${toxic.stream}`;

/** The journal entry that undoes an injection. */
export function actionOf(injection: Injection): DrillAction {
  switch (injection.kind) {
    case 'service-fault':
      return { kind: 'service-fault', service: injection.service };
    case 'toxic':
      return { kind: 'toxic', proxy: downstream[injection.service].name, toxic: toxicName(injection.toxic) };
    case 'consumer-paused':
      return { kind: 'consumer-paused', consumer: injection.consumer };
  }
}

/** One line for the report. */
export function describeInjection(injection: Injection): string {
  switch (injection.kind) {
    case 'service-fault': {
      const f = injection.fault;
      const parts = [
        f.errorRate ? `${Math.round(f.errorRate * 100)}% of requests answered ${f.errorStatus ?? 503}` : '',
        f.latencyMs ? `${f.latencyMs} ms added` : '',
      ].filter(Boolean);
      return `${downstream[injection.service].name}${f.pathPrefix ? ` ${f.pathPrefix}*` : ''}: ${parts.join(', ')} (app fault)`;
    }
    case 'toxic':
      return `${downstream[injection.service].name} proxy: ${injection.toxic.type} ${injection.toxic.attributes.latency} ms ${injection.toxic.stream} (Toxiproxy)`;
    case 'consumer-paused':
      return `${consumers[injection.consumer].name} paused (POST /admin/pause)`;
  }
}

export async function inject(injection: Injection, journal: Journal): Promise<void> {
  journal.record(actionOf(injection));
  switch (injection.kind) {
    case 'service-fault':
      await call(`${serviceUrl(injection.service)}/admin/faults`, {
        method: 'PUT',
        body: JSON.stringify(injection.fault),
      });
      return;
    case 'toxic': {
      const { name } = downstream[injection.service];
      await call(`${endpoints.toxiproxy}/proxies/${name}/toxics`, {
        method: 'POST',
        body: JSON.stringify({ name: toxicName(injection.toxic), toxicity: 1, ...injection.toxic }),
      });
      return;
    }
    case 'consumer-paused':
      await call(`${consumerUrl(injection.consumer)}/admin/pause`, { method: 'POST' });
      return;
  }
}

/** Undoes one journaled change to a service, proxy or consumer; idempotent. */
export async function undoInjection(action: DrillAction): Promise<void> {
  switch (action.kind) {
    case 'service-fault':
      await call(`${serviceUrl(action.service)}/admin/faults`, { method: 'DELETE' });
      return;
    case 'toxic': {
      const res = await fetch(`${endpoints.toxiproxy}/proxies/${action.proxy}/toxics/${action.toxic}`, {
        method: 'DELETE',
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok && res.status !== 404)
        throw new Error(
          `removing toxic ${action.toxic} from ${action.proxy}: ${res.status} ${await res.text()}`,
        );
      return;
    }
    case 'consumer-paused':
      await call(`${consumerUrl(action.consumer)}/admin/resume`, { method: 'POST' });
      return;
    default:
      throw new Error(`not an injection: ${action.kind}`);
  }
}

// --- What is injected right now (preconditions, and the check that cleanup worked) -------------------------

export const activeFault = async (service: DownstreamName): Promise<Faults | undefined> => {
  const f = await getJson<Faults>(`${serviceUrl(service)}/admin/faults`);
  return f.errorRate > 0 || f.latencyMs > 0 ? f : undefined;
};

export async function toxicsByProxy(): Promise<Map<string, string[]>> {
  const proxies = await getJson<Record<string, { toxics: { name: string }[] }>>(
    `${endpoints.toxiproxy}/proxies`,
  );
  return new Map(Object.entries(proxies).map(([name, p]) => [name, p.toxics.map((t) => t.name)]));
}

export const consumerPaused = async (consumer: ConsumerKey): Promise<boolean> =>
  (await getJson<{ paused: boolean }>(`${consumerUrl(consumer)}/status`)).paused;

/** What is already injected on the things `injections` would touch: a drill must not mix with it. */
export async function conflicts(injections: readonly Injection[]): Promise<string[]> {
  const toxics = await toxicsByProxy();
  const found: string[] = [];
  for (const i of injections) {
    if (i.kind === 'service-fault') {
      const f = await activeFault(i.service);
      if (f) found.push(`${downstream[i.service].name} already has a fault: ${JSON.stringify(f)}`);
    } else if (i.kind === 'toxic') {
      const names = toxics.get(downstream[i.service].name) ?? [];
      if (names.length > 0)
        found.push(`proxy ${downstream[i.service].name} already has toxics: ${names.join(', ')}`);
    } else if (await consumerPaused(i.consumer)) {
      found.push(`${consumers[i.consumer].name} is already paused`);
    }
  }
  return found;
}
