// Prometheus's instant-query API (GET /api/v1/query), for the tools that read what the stack measured (the
// drill's conditions, the load run's view): one client, bounded, failing with the status and the query.
export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

export async function instantQuery(
  baseUrl: string,
  expr: string,
  options: { readonly at?: number; readonly timeoutMs?: number } = {},
): Promise<PromSample[]> {
  const params = new URLSearchParams({ query: expr });
  if (options.at !== undefined) params.set('time', String(options.at / 1000));
  const res = await fetch(`${baseUrl}/api/v1/query?${params.toString()}`, {
    signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
  });
  if (!res.ok) throw new Error(`Prometheus answered ${res.status} to ${expr}: ${await res.text()}`);
  return ((await res.json()) as { data: { result: PromSample[] } }).data.result;
}
