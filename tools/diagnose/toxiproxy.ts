// Asks Toxiproxy what it does *now* to the proxies on an order's path: toxics and disabled proxies.
// Toxiproxy keeps no history, so this is evidence about the present, and diagnose says so.
import { CALL_TIMEOUT_MS, type Endpoints } from './endpoints.ts';

export interface Toxic {
  readonly name: string;
  readonly type: string;
  readonly stream: string;
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface ProxyState {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
  readonly toxics: readonly Toxic[];
}

export type ProxiesLookup =
  | { readonly status: 'ok'; readonly proxies: readonly ProxyState[] }
  | { readonly status: 'unavailable'; readonly reason: string };

export async function readProxies(endpoints: Endpoints): Promise<ProxiesLookup> {
  try {
    const res = await fetch(`${endpoints.toxiproxy}/proxies`, {
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as Record<string, Partial<ProxyState>>;
    const proxies = Object.values(body).map((p) => ({
      name: p.name ?? '?',
      listen: p.listen ?? '',
      upstream: p.upstream ?? '',
      enabled: p.enabled !== false,
      toxics: p.toxics ?? [],
    }));
    return { status: 'ok', proxies: proxies.sort((a, b) => a.name.localeCompare(b.name)) };
  } catch (err) {
    const reason =
      err instanceof Error && err.name === 'TimeoutError'
        ? `no answer within ${CALL_TIMEOUT_MS} ms`
        : err instanceof Error
          ? ((err.cause as Error | undefined)?.message ?? err.message)
          : String(err);
    return { status: 'unavailable', reason: `Toxiproxy at ${endpoints.toxiproxy}: ${reason}` };
  }
}

/** A proxy that would make calls through it fail or slow down right now. */
export const isFaulty = (p: ProxyState): boolean => !p.enabled || p.toxics.length > 0;

export const listenPort = (p: ProxyState): number | undefined => {
  const port = Number(p.listen.split(':').at(-1));
  return Number.isInteger(port) ? port : undefined;
};

/** `latency_downstream (latency, downstream, toxicity 1, latency=20000)` */
export function describeToxic(t: Toxic): string {
  const attrs = Object.entries(t.attributes ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  return `${t.name} (${t.type}, ${t.stream}, toxicity ${t.toxicity}${attrs ? `, ${attrs}` : ''})`;
}
