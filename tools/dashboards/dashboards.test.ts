// The dashboards as code, without a running stack: the committed provisioning files are exactly what the
// generator writes, and every dashboard is well-formed for Grafana. Whether each query returns data is
// test/e2e/dashboards.test.ts, against the real Prometheus.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { dataPanels, interpolate, panelQueries, readDashboards } from './panel-queries.ts';
import { provisioningDir, provisioningFiles } from './provisioning.ts';

const generated = await provisioningFiles();
const committed = readDashboards();
const range = { fromMs: Date.parse('2026-01-01T00:00:00Z'), toMs: Date.parse('2026-01-01T00:05:00Z') };

interface Datasource {
  name: string;
  type: string;
  uid: string;
  url: string;
  jsonData: Record<string, unknown>;
}

describe('Grafana provisioning generated from tools/dashboards', () => {
  it('when the generator runs, then it writes exactly the committed files (else: npm run dashboards)', () => {
    const onDiskContent = (path: string): string | undefined =>
      existsSync(join(provisioningDir, path)) ? readFileSync(join(provisioningDir, path), 'utf8') : undefined;
    const drifted = [...generated].filter(([path, content]) => onDiskContent(path) !== content);
    expect(
      drifted.map(([path]) => path),
      'committed files differ: run `npm run dashboards`',
    ).toEqual([]);
    const onDisk = readdirSync(join(provisioningDir, 'dashboards')).filter((f) => f.endsWith('.json'));
    expect(onDisk.sort()).toEqual(
      [...generated.keys()]
        .filter((p) => p.endsWith('.json'))
        .map((p) => p.replace('dashboards/', ''))
        .sort(),
    );
  });

  it('when the dashboards are read, then each has its own uid and the orderflow tag', () => {
    const uids = [...committed.values()].map((d) => d.uid);
    expect(uids.length).toBeGreaterThanOrEqual(4);
    expect(new Set(uids).size, `uids: ${uids.join(', ')}`).toBe(uids.length);
    for (const [file, dashboard] of committed) expect(file).toBe(`${dashboard.uid}.json`);
  });

  it('when the panels are read, then each has a provisioned datasource and at least one query', () => {
    const { datasources } = load(generated.get('datasources/datasources.yaml') ?? '') as {
      datasources: Datasource[];
    };
    const uids = new Set(datasources.map((d) => d.uid));
    const problems: string[] = [];
    for (const dashboard of committed.values()) {
      for (const panel of dataPanels(dashboard)) {
        const where = `${dashboard.title} / ${panel.title}`;
        if (!panel.datasource?.uid || !uids.has(panel.datasource.uid))
          problems.push(`${where}: no datasource`);
        if ((panel.targets ?? []).length === 0) problems.push(`${where}: no target`);
        for (const t of panel.targets ?? []) {
          if (!t.datasource?.uid || !uids.has(t.datasource.uid))
            problems.push(`${where} ${t.refId}: datasource`);
          if (!(t.expr ?? t.query)) problems.push(`${where} ${t.refId}: empty query`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('when every query is interpolated, then no Grafana variable is left unresolved', () => {
    const queries = [...committed.values()].flatMap((d) =>
      panelQueries(d).map((q) => ({ q, promql: interpolate(q.query, d, range) })),
    );
    expect(queries.length).toBeGreaterThan(30);
    for (const { q, promql } of queries) expect(promql, `${q.dashboard} / ${q.panel}`).not.toMatch(/\$/);
  });

  it('when the datasources are read, then Prometheus exemplars link to Tempo and Tempo links back', () => {
    const { datasources } = load(generated.get('datasources/datasources.yaml') ?? '') as {
      datasources: Datasource[];
    };
    const byUid = new Map(datasources.map((d) => [d.uid, d]));
    expect(byUid.get('prometheus')?.jsonData.exemplarTraceIdDestinations).toEqual([
      { name: 'trace_id', datasourceUid: 'tempo' },
    ]);
    expect(byUid.get('prometheus')?.url).toBe('${PROMETHEUS_URL}');
    const tempo = byUid.get('tempo');
    expect(tempo?.url).toBe('${TEMPO_URL}');
    expect(tempo?.jsonData.serviceMap).toEqual({ datasourceUid: 'prometheus' });
    const toMetrics = tempo?.jsonData.tracesToMetrics as {
      datasourceUid: string;
      queries: { query: string }[];
    };
    expect(toMetrics.datasourceUid).toBe('prometheus');
    // Grafana expands $VAR in provisioning files: a query's own $__tags must be written $$__tags.
    for (const { query } of toMetrics.queries) expect(query).not.toMatch(/(^|[^$])\$__/);
  });

  it('when the orders overview is read, then its duration panel shows exemplars and links to order traces', () => {
    const orders = committed.get('orderflow-orders.json');
    const duration = dataPanels(orders!).find((p) => p.title?.startsWith('Workflow duration'));
    expect(duration?.targets?.every((t) => (t as { exemplar?: boolean }).exemplar === true)).toBe(true);
    const links = (duration as { links?: { url: string }[] }).links ?? [];
    expect(decodeURIComponent(links[0]?.url ?? '')).toContain('span.order.id = \\"${order_id}\\"');
  });
});
