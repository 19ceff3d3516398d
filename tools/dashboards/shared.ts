// What every orderflow dashboard shares: the provisioned datasources (fixed uids, so links and the
// generated JSON never depend on a Grafana instance), panel factories, and links from metrics to traces.
import {
  type DataSourceRef,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  SortOrder,
  StackingConfigBuilder,
  StackingMode,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  TextBoxVariableBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: 'prometheus' };
export const TEMPO: DataSourceRef = { type: 'tempo', uid: 'tempo' };

/**
 * The SLO of alerts/rules/orderflow.rules.yml: fewer than 1% of order workflows fail for a technical reason
 * (30-day budget). Business declines are not in it.
 */
export const FAILURE_OBJECTIVE = 0.01;
/** Failure = these workflow outcomes, as the recording rules count them (any kind: ADR-0047's failure rate). */
export const FAILED_STATUSES = 'failed|compensated|timed_out';
/** The failures the SLO judges: order_workflow_status_total{kind="technical"} (declines are kind="business"). */
export const TECHNICAL = 'kind="technical"';

/** A textbox variable for trace links only: order ids are span attributes, never metric labels. */
export const ORDER_ID_VARIABLE = 'order_id';

export interface Series {
  readonly expr: string;
  readonly legend?: string;
  /** Show exemplars (trace ids on histogram samples) next to the series. */
  readonly exemplar?: boolean;
}

export interface PanelLink {
  readonly title: string;
  readonly url: string;
}

interface PanelOptions {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly series: readonly Series[];
  readonly span?: number;
  readonly height?: number;
  /** Alert thresholds drawn on the panel, e.g. the ADR's 2% failure rate; red above the last one. */
  readonly thresholds?: readonly number[];
  readonly stack?: boolean;
  readonly links?: readonly PanelLink[];
  readonly min?: number;
}

const refIds = 'ABCDEFGHIJ';

export function promQuery(series: Series, index: number): DataqueryBuilder {
  const query = new DataqueryBuilder()
    .datasource(PROMETHEUS)
    .refId(refIds.charAt(index))
    .expr(series.expr)
    .legendFormat(series.legend ?? '__auto');
  return series.exemplar ? query.exemplar(true) : query;
}

function thresholdSteps(values: readonly number[] = []): ThresholdsConfigBuilder {
  const colors = ['orange', 'red'];
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps([
      { value: null, color: 'green' },
      ...values.map((value, i) => ({ value, color: colors[Math.min(i, colors.length - 1)] ?? 'red' })),
    ]);
}

const linkBuilders = (links: readonly PanelLink[] = []): DashboardLinkBuilder[] =>
  links.map((l) =>
    new DashboardLinkBuilder(l.title).type(DashboardLinkType.Link).url(l.url).targetBlank(true),
  );

export function timeseries(o: PanelOptions): TimeseriesBuilder {
  const panel = new TimeseriesBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(PROMETHEUS)
    .unit(o.unit)
    .span(o.span ?? 12)
    .height(o.height ?? 8)
    .thresholds(thresholdSteps(o.thresholds))
    .links(linkBuilders(o.links))
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom),
    )
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
  if (o.thresholds) {
    panel.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  }
  if (o.stack) panel.stacking(new StackingConfigBuilder().mode(StackingMode.Normal)).fillOpacity(30);
  if (o.min !== undefined) panel.min(o.min);
  o.series.forEach((s, i) => panel.withTarget(promQuery(s, i)));
  return panel;
}

export function stat(o: PanelOptions): StatBuilder {
  const panel = new StatBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(PROMETHEUS)
    .unit(o.unit)
    .span(o.span ?? 6)
    .height(o.height ?? 4)
    .thresholds(thresholdSteps(o.thresholds))
    .links(linkBuilders(o.links));
  o.series.forEach((s, i) => panel.withTarget(promQuery(s, i)));
  return panel;
}

/**
 * A link into Grafana Explore running a TraceQL search on Tempo over the panel's time range. Grafana
 * variables (`${order_id}`, `${__from}`) stay literal so Grafana interpolates them when the link is used.
 */
export function tempoSearchUrl(traceql: string): string {
  const panes = {
    orderflow: {
      datasource: TEMPO.uid,
      queries: [{ refId: 'A', datasource: TEMPO, queryType: 'traceql', query: traceql, limit: 20 }],
      range: { from: '${__from}', to: '${__to}' },
    },
  };
  const encoded = encodeURIComponent(JSON.stringify(panes)).replace(/%24%7B([\w.:]+)%7D/g, '${$1}');
  return `/explore?schemaVersion=1&orgId=1&panes=${encoded}`;
}

/** The whole trace of one order: every span carries order.id (observability/tracing/README.md). */
export const orderTraceLink: PanelLink = {
  title: 'Trace of order ${order_id} (Tempo)',
  url: tempoSearchUrl(`{ span.order.id = "\${${ORDER_ID_VARIABLE}}" }`),
};

/** Orders that failed somewhere: their failing step's span has status error. */
export const failedOrderTracesLink: PanelLink = {
  title: 'Traces of failed orders (Tempo)',
  url: tempoSearchUrl('{ span.order.id != nil && status = error }'),
};

/** The common frame: tags, time, refresh, crosshair, links to the other dashboards and to an order's trace. */
export function orderflowDashboard(uid: string, title: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['orderflow', 'adr-0047'])
    .timezone('browser')
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(
      new TextBoxVariableBuilder(ORDER_ID_VARIABLE)
        .label('Order id (for the trace link)')
        .description('An order id (ord_…) to open its trace in Tempo; no panel query uses it.'),
    )
    .link(
      new DashboardLinkBuilder('orderflow')
        .type(DashboardLinkType.Dashboards)
        .tags(['orderflow'])
        .asDropdown(true)
        .includeVars(false)
        .keepTime(true),
    )
    .link(
      new DashboardLinkBuilder(orderTraceLink.title)
        .type(DashboardLinkType.Link)
        .url(orderTraceLink.url)
        .icon('external link')
        .targetBlank(true),
    );
}
