// Every query of every generated Grafana dashboard returns data on the running stack (`npm start`). A small
// burst of orders (completed, compensated, failed) goes through order-api; once Prometheus has scraped
// their outcomes, each panel query from observability/grafana/provisioning/dashboards/*.json runs with
// Grafana's variables substituted, as Grafana would run it over the last minutes. No Grafana binary is
// installable here, so this is how the dashboards are verified locally.
//
// The load dashboard reads k6's own metrics, which exist only once a k6 run wrote them. So a short k6 run
// (a few seconds of GET /healthz on order-api: no order, no load to speak of) writes them through the same
// experimental-prometheus-rw output and testid tag the load runner uses, and its panels are checked like
// every other.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { capture } from '../../stack/exec.ts';
import {
  interpolate,
  intervalMs,
  panelQueries,
  readDashboards,
  type PanelQuery,
  type TimeRange,
  variableQueries,
} from '../../tools/dashboards/panel-queries.ts';
import { address, api, order, settle, submit } from '../support/orders.ts';
import { requireComponent, tools, urls } from '../support/stack.ts';

const WINDOW_MS = 5 * 60_000;
/** Data that is still on its way (a scrape, a rule evaluation, an idle trace) gets this long. */
const SETTLE_MS = 60_000;

const dashboards = [...readDashboards().values()];
const queries = dashboards.flatMap((d) => panelQueries(d).map((q) => ({ q, dashboard: d })));
const lastMinutes = (): TimeRange => ({ toMs: Date.now(), fromMs: Date.now() - WINDOW_MS });
const where = (q: PanelQuery): string => `${q.dashboard} / ${q.panel} [${q.refId}]`;

interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

async function prometheus<T>(path: string, params: Record<string, string>): Promise<T> {
  const res = await fetch(`${urls.prometheus}${path}?${new URLSearchParams(params).toString()}`);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(body.error ?? `HTTP ${res.status}`);
  return body.data;
}

const total = async (promql: string): Promise<number> => {
  const { result } = await prometheus<{ result: { value: [number, string] }[] }>('/api/v1/query', {
    query: `sum(${promql})`,
  });
  return result.reduce((s, r) => s + Number(r.value[1]), 0);
};

/** Why a query has no data, or undefined when it has at least one series with a number in it. */
async function noData(promql: string, range: TimeRange): Promise<string | undefined> {
  try {
    const { result } = await prometheus<{ result: RangeSeries[] }>('/api/v1/query_range', {
      query: promql,
      start: String(range.fromMs / 1000),
      end: String(range.toMs / 1000),
      step: `${intervalMs(range) / 1000}s`,
    });
    if (result.length === 0) return 'no series';
    const withNumbers = result.filter((s) => s.values.some(([, v]) => Number.isFinite(Number(v))));
    return withNumbers.length === 0 ? `${result.length} series, all NaN` : undefined;
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

/** A few seconds of k6 writing its metrics to Prometheus under a test id of its own, as the load runner does. */
async function shortK6Run(testId: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'orderflow-dashboards-k6-'));
  try {
    const script = join(dir, 'probe.js');
    writeFileSync(
      script,
      `import http from 'k6/http';
import { check, sleep } from 'k6';
export const options = { vus: 1, duration: '8s' };
export default function () {
  check(http.get(__ENV.TARGET), { 'status is 200': (r) => r.status === 200 });
  sleep(0.2);
}
`,
    );
    await capture(
      tools.k6.bins.k6,
      [
        'run',
        '--quiet',
        '--no-usage-report',
        '-o',
        'experimental-prometheus-rw',
        '--tag',
        `testid=${testId}`,
        '-e',
        `TARGET=${api}/healthz`,
        script,
      ],
      { env: { ...process.env, K6_PROMETHEUS_RW_SERVER_URL: `${urls.prometheus}/api/v1/write` } },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `check` over the items until none fails or SETTLE_MS passed; returns the failures left. */
async function untilAllPass<T>(items: readonly T[], check: (item: T) => Promise<string | undefined>) {
  const deadline = Date.now() + SETTLE_MS;
  let failing = [...items];
  let reasons = new Map<T, string>();
  for (;;) {
    reasons = new Map();
    for (const item of failing) {
      const reason = await check(item);
      if (reason !== undefined) reasons.set(item, reason);
    }
    failing = [...reasons.keys()];
    if (failing.length === 0 || Date.now() > deadline) return reasons;
    await new Promise((r) => setTimeout(r, 5000));
  }
}

describe('every query of every Grafana dashboard returns data', () => {
  beforeAll(async () => {
    await requireComponent('order-api', { kind: 'http', url: `${api}/readyz` });
    await requireComponent('prometheus', { kind: 'http', url: `${urls.prometheus}/-/ready` });
    const before = {
      completed: await total('order_workflow_status_total{status="completed"}'),
      compensated: await total('order_workflow_status_total{status="compensated"}'),
      failed: await total('order_workflow_status_total{status="failed"}'),
    };
    const burst = [
      order(),
      order({ customerId: 'cust-bob', items: [{ sku: 'sku-widget', quantity: 1 }] }),
      // Payment succeeds, the shipment is refused: refund and release, a compensated order.
      order({ customerId: 'cust-bob', shippingAddress: { ...address, line1: '2 Undeliverable Road' } }),
      // Refused at ValidateOrder: failed with nothing to compensate.
      order({ customerId: 'cust-blocked' }),
    ];
    const k6Run = shortK6Run(`dashboards-e2e-${Date.now()}`);
    const accepted = await Promise.all(burst.map((body) => submit(body)));
    expect(accepted.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    const outcomes = await Promise.all(accepted.map((a) => settle(a.body.orderId, 90_000)));
    expect(outcomes.map((o) => o.status)).toEqual(['completed', 'completed', 'failed', 'failed']);
    expect(outcomes[2]?.compensations.length).toBeGreaterThan(0);

    // Prometheus has them once the outcome counters moved (5 s scrape).
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const now = {
        completed: await total('order_workflow_status_total{status="completed"}'),
        compensated: await total('order_workflow_status_total{status="compensated"}'),
        failed: await total('order_workflow_status_total{status="failed"}'),
      };
      if (now.completed >= before.completed + 2 && now.compensated > before.compensated) {
        if (now.failed > before.failed) break;
      }
      if (Date.now() > deadline) throw new Error(`Prometheus did not see the burst: ${JSON.stringify(now)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    await k6Run;
  }, 240_000);

  it('when each Prometheus panel query runs over the last 5 minutes, then it returns a series with data', async () => {
    const promQueries = queries.filter(({ q }) => q.datasource === 'prometheus');
    expect(promQueries.length).toBeGreaterThan(30);
    const failing = await untilAllPass(promQueries, ({ q, dashboard }) => {
      const range = lastMinutes();
      return noData(interpolate(q.query, dashboard, range), range);
    });
    const report = [...failing].map(
      ([{ q, dashboard }, reason]) =>
        `${where(q)}: ${reason}\n    ${interpolate(q.query, dashboard, lastMinutes())}`,
    );
    expect(report, `${report.length} of ${promQueries.length} panel queries without data`).toEqual([]);
  }, 120_000);

  it('when each template variable query runs, then it offers at least one value', async () => {
    const variables = dashboards.flatMap((d) =>
      variableQueries(d).map((v) => ({ ...v, dashboard: d.title })),
    );
    expect(variables.length).toBeGreaterThan(0);
    for (const v of variables) {
      // Grafana runs label_values(metric, label) as the label values API matched on the metric.
      const match = /^label_values\((.+),\s*(\w+)\)$/.exec(v.query);
      expect(match, `${v.dashboard} $${v.name}: unsupported query ${v.query}`).not.toBeNull();
      const range = lastMinutes();
      const values = await prometheus<string[]>(`/api/v1/label/${match![2]}/values`, {
        'match[]': match![1]!,
        start: String(range.fromMs / 1000),
        end: String(range.toMs / 1000),
      });
      expect(values.length, `${v.dashboard} $${v.name}: ${v.query} has no values`).toBeGreaterThan(0);
    }
  });

  it('when each Tempo panel query runs over the last 5 minutes, then Tempo finds a trace', async () => {
    await requireComponent('tempo', { kind: 'http', url: `${urls.tempo}/ready` });
    const traceQueries = queries.filter(({ q }) => q.datasource === 'tempo');
    expect(traceQueries.length).toBeGreaterThan(0);
    const failing = await untilAllPass(traceQueries, async ({ q }) => {
      const range = lastMinutes();
      const params = new URLSearchParams({
        q: q.query,
        start: String(Math.floor(range.fromMs / 1000)),
        end: String(Math.ceil(range.toMs / 1000)),
        limit: '20',
      });
      const res = await fetch(`${urls.tempo}/api/search?${params.toString()}`);
      if (!res.ok) return `HTTP ${res.status}: ${await res.text()}`;
      const { traces } = (await res.json()) as { traces?: unknown[] };
      return (traces ?? []).length > 0 ? undefined : 'no trace';
    });
    const report = [...failing].map(([{ q }, reason]) => `${where(q)}: ${reason}\n    ${q.query}`);
    expect(report, 'Tempo panel queries without traces').toEqual([]);
  }, 120_000);
});
