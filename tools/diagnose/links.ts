// Links a person can click from the terminal: the workflow in the Temporal UI, the trace in Tempo's API
// and in Grafana Explore (docker-compose), or the search that would find it.
import type { Endpoints } from './endpoints.ts';
import { orderTraceQuery } from './tempo.ts';

export interface Links {
  readonly temporalUi: string;
  /** Tempo API URL of each trace found (the first is the order's own). */
  readonly traces: readonly string[];
  /** Grafana Explore on the first trace, or on the TraceQL search when none was found yet. */
  readonly grafanaExplore: string;
  readonly tempoSearch: string;
}

export function linksFor(endpoints: Endpoints, orderId: string, traceIds: readonly string[]): Links {
  const query = orderTraceQuery(orderId);
  const [first] = traceIds;
  return {
    temporalUi: `${endpoints.temporalUi}/namespaces/${encodeURIComponent(endpoints.namespace)}/workflows/${encodeURIComponent(orderId)}`,
    traces: traceIds.map((id) => `${endpoints.tempo}/api/traces/${id}`),
    grafanaExplore: grafanaExplore(endpoints, first ?? query),
    tempoSearch: `${endpoints.tempo}/api/search?${new URLSearchParams({ q: query }).toString()}`,
  };
}

function grafanaExplore(endpoints: Endpoints, traceQl: string): string {
  const datasource = { type: 'tempo', uid: endpoints.grafanaTempoUid };
  const panes = {
    a: {
      datasource: endpoints.grafanaTempoUid,
      queries: [{ refId: 'A', datasource, queryType: 'traceql', query: traceQl }],
      range: { from: 'now-24h', to: 'now' },
    },
  };
  return `${endpoints.grafana}/explore?${new URLSearchParams({ schemaVersion: '1', orgId: '1', panes: JSON.stringify(panes) }).toString()}`;
}
