// What k6 measured, read from its own files: the summary export (iterations, dropped iterations) and the
// CSV output (one row per sample; the submit requests' timestamps, durations and statuses).
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface SubmitSample {
  /** Epoch ms when the request ended (k6 CSV, unix_milli). */
  readonly at: number;
  readonly ms: number;
  readonly status: number;
}

export interface K6Results {
  readonly iterations: number;
  readonly droppedIterations: number;
  readonly submits: readonly SubmitSample[];
  readonly reviews: number;
}

interface Summary {
  metrics: Record<string, { count?: number; passes?: number } | undefined>;
}

export function readSummary(file: string): {
  iterations: number;
  droppedIterations: number;
  reviews: number;
} {
  if (!existsSync(file)) return { iterations: 0, droppedIterations: 0, reviews: 0 };
  const s = JSON.parse(readFileSync(file, 'utf8')) as Summary;
  return {
    iterations: s.metrics.iterations?.count ?? 0,
    // k6 only exports the metric once something was dropped.
    droppedIterations: s.metrics.dropped_iterations?.count ?? 0,
    reviews: s.metrics.orders_reviewed?.count ?? 0,
  };
}

/** The submit requests (tag name=submit) of a k6 CSV output. */
export async function readSubmits(file: string): Promise<SubmitSample[]> {
  if (!existsSync(file)) return [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  const out: SubmitSample[] = [];
  let col: Record<string, number> | undefined;
  for await (const line of lines) {
    const f = line.split(',');
    if (!col) {
      col = Object.fromEntries(f.map((name, i) => [name, i]));
      continue;
    }
    if (f[col.metric_name!] !== 'http_req_duration' || f[col.name!] !== 'submit') continue;
    out.push({
      at: Number(f[col.timestamp!]),
      ms: Number(f[col.metric_value!]),
      status: Number(f[col.status!] || 0),
    });
  }
  return out;
}

export async function readK6Results(summaryFile: string, csvFile: string): Promise<K6Results> {
  return { ...readSummary(summaryFile), submits: await readSubmits(csvFile) };
}
