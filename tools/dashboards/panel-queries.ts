// Reads dashboards the way Grafana runs them: every query of every panel, and Grafana's variables
// substituted as Grafana would for a given time range ($__rate_interval, $__interval, $__range, template
// variables at their default or "All" values). The e2e query test and the unit test share it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface DatasourceRef {
  readonly type?: string;
  readonly uid?: string;
}

interface Target {
  readonly refId?: string;
  readonly datasource?: DatasourceRef;
  readonly expr?: string;
  readonly query?: string;
}

export interface PanelJson {
  readonly type: string;
  readonly title?: string;
  readonly datasource?: DatasourceRef;
  readonly targets?: readonly Target[];
  readonly panels?: readonly PanelJson[];
}

interface VariableJson {
  readonly type: string;
  readonly name: string;
  readonly query?: string | Record<string, unknown>;
  readonly current?: { readonly value?: string | readonly string[] };
  readonly allValue?: string;
  readonly options?: readonly { readonly value: string | readonly string[] }[];
  readonly datasource?: DatasourceRef;
}

export interface DashboardJson {
  readonly uid?: string;
  readonly title: string;
  readonly panels?: readonly PanelJson[];
  readonly templating?: { readonly list?: readonly VariableJson[] };
}

export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  /** The datasource type that runs it: `prometheus` (PromQL) or `tempo` (TraceQL). */
  readonly datasource: string;
  readonly query: string;
}

export const dashboardsDir = join(
  import.meta.dirname,
  '..',
  '..',
  'observability',
  'grafana',
  'provisioning',
  'dashboards',
);

/** The committed dashboard JSON files, by file name. */
export function readDashboards(dir: string = dashboardsDir): Map<string, DashboardJson> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  return new Map(
    files.map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as DashboardJson] as const),
  );
}

/** Every data panel, including those inside collapsed rows; row panels themselves hold no query. */
export function dataPanels(dashboard: DashboardJson): PanelJson[] {
  return (dashboard.panels ?? []).flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
}

export function panelQueries(dashboard: DashboardJson): PanelQuery[] {
  return dataPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((t) => ({
      dashboard: dashboard.title,
      panel: panel.title ?? '(untitled)',
      refId: t.refId ?? '?',
      datasource: t.datasource?.type ?? panel.datasource?.type ?? 'unknown',
      query: t.expr ?? t.query ?? '',
    })),
  );
}

export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/** The Prometheus datasource's scrape interval (jsonData.timeInterval): Grafana's minimum $__interval. */
export const SCRAPE_INTERVAL_MS = 5000;
/** About one point per pixel of a full-width panel. */
const MAX_DATA_POINTS = 1000;

/** $__interval as Grafana computes it: range / max data points, in whole seconds, at least the scrape interval. */
export function intervalMs(range: TimeRange): number {
  const raw = Math.ceil((range.toMs - range.fromMs) / MAX_DATA_POINTS / 1000) * 1000;
  return Math.max(raw, SCRAPE_INTERVAL_MS);
}

const escapeRegex = (value: string): string => value.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/** A template variable's value at its default: "All" becomes allValue or the regex of every option. */
function variableValue(v: VariableJson): string {
  const current = v.current?.value;
  const values: readonly string[] =
    current === undefined ? [] : typeof current === 'string' ? [current] : current;
  if (v.type === 'textbox') return values[0] ?? (typeof v.query === 'string' ? v.query : '');
  if (values.includes('$__all')) {
    if (v.allValue) return v.allValue;
    const options = (v.options ?? []).map((o) => String(o.value)).filter((o) => o !== '$__all');
    if (options.length === 0) throw new Error(`variable $${v.name}: All without allValue or options`);
    return `(${options.map(escapeRegex).join('|')})`;
  }
  if (values.length === 0) throw new Error(`variable $${v.name} has no default value`);
  return values.length === 1 && values[0] !== undefined
    ? values[0]
    : `(${values.map(escapeRegex).join('|')})`;
}

/** The query with Grafana's global and template variables replaced; throws on a variable it cannot resolve. */
export function interpolate(query: string, dashboard: DashboardJson, range: TimeRange): string {
  const interval = intervalMs(range);
  const rangeS = Math.round((range.toMs - range.fromMs) / 1000);
  const values = new Map<string, string>([
    ['__interval', `${interval / 1000}s`],
    ['__interval_ms', String(interval)],
    // Grafana: max($__interval + scrape interval, 4 × scrape interval).
    ['__rate_interval', `${Math.max(interval + SCRAPE_INTERVAL_MS, 4 * SCRAPE_INTERVAL_MS) / 1000}s`],
    ['__range', `${rangeS}s`],
    ['__range_s', String(rangeS)],
    ['__range_ms', String(rangeS * 1000)],
  ]);
  for (const v of dashboard.templating?.list ?? []) values.set(v.name, variableValue(v));
  return query.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    const value = values.get(name);
    if (value === undefined) throw new Error(`unknown variable ${whole} in: ${query}`);
    return value;
  });
}

/** Template variables whose options come from a Prometheus query (`label_values(metric, label)`). */
export function variableQueries(dashboard: DashboardJson): { name: string; query: string }[] {
  return (dashboard.templating?.list ?? [])
    .filter((v) => v.type === 'query' && typeof v.query === 'string')
    .map((v) => ({ name: v.name, query: v.query as string }));
}
