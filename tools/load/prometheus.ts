// What Prometheus saw of a run: k6's own metrics (experimental-prometheus-rw output, tagged testid = run id)
// and the ADR's status counter over the run's window. The counter is stack-wide: other traffic in the same
// window counts too, so it is reported beside the reconciliation, which is the run's own.
import { host, ports } from '../../platform/ports.ts';
import { instantQuery as promQuery, type PromSample } from '../../platform/prometheus.ts';

export const prometheusUrl = `http://${host}:${ports.prometheus}`;
export const remoteWriteUrl = `${prometheusUrl}/api/v1/write`;

export const instantQuery = (query: string, at?: number): Promise<PromSample[]> =>
  promQuery(prometheusUrl, query, at === undefined ? {} : { at });

const scalar = async (query: string, at?: number): Promise<number | undefined> => {
  const r = await instantQuery(query, at);
  return r[0] ? Number(r[0].value[1]) : undefined;
};

export interface PrometheusView {
  /** k6_iterations_total of the run (testid). */
  readonly k6Iterations?: number;
  readonly k6DroppedIterations?: number;
  /** k6's own p99 of the submit requests (the worst series), ms. */
  readonly k6SubmitP99Ms?: number;
  /** increase(order_workflow_status_total) over the window, by status (and kind when the counter has it). */
  readonly workflowStatus: Record<string, number>;
  readonly workflowDurationP99Ms?: number;
  readonly error?: string;
}

export async function readPrometheus(
  testid: string,
  startedAt: number,
  endedAt: number,
): Promise<PrometheusView> {
  const window = `${Math.max(30, Math.ceil((endedAt - startedAt) / 1000) + 15)}s`;
  const sel = `testid="${testid}"`;
  try {
    const [iterations, dropped, p99, status, duration] = await Promise.all([
      scalar(`sum(last_over_time(k6_iterations_total{${sel}}[${window}]))`, endedAt),
      scalar(`sum(last_over_time(k6_dropped_iterations_total{${sel}}[${window}]))`, endedAt),
      scalar(`max(last_over_time(k6_http_req_duration_p99{${sel},name="submit"}[${window}]))`, endedAt),
      instantQuery(`sum by (status, kind) (increase(order_workflow_status_total[${window}]))`, endedAt),
      scalar(
        `histogram_quantile(0.99, sum by (le) (increase(order_workflow_duration_seconds_bucket[${window}])))`,
        endedAt,
      ),
    ]);
    const workflowStatus: Record<string, number> = {};
    for (const r of status) {
      const label = r.metric.kind ? `${r.metric.status}/${r.metric.kind}` : (r.metric.status ?? '?');
      workflowStatus[label] = Math.round(Number(r.value[1]));
    }
    return {
      k6Iterations: iterations,
      k6DroppedIterations: dropped ?? 0,
      k6SubmitP99Ms: p99 === undefined ? undefined : p99 * 1000,
      workflowStatus,
      workflowDurationP99Ms: duration === undefined || Number.isNaN(duration) ? undefined : duration * 1000,
    };
  } catch (err) {
    return { workflowStatus: {}, error: (err as Error).message };
  }
}
