// Where a drill reaches the local stack: every address is 127.0.0.1, from platform/ports.ts and the service and
// consumer registries, so a drill can only ever touch the local stack.
import { host, ports } from '../../platform/ports.ts';
import { consumers, lagExporter, type ConsumerKey } from '../../consumers/registry.ts';
import { downstream, type DownstreamName } from '../../platform/downstream.ts';

export const endpoints = {
  prometheus: `http://${host}:${ports.prometheus}`,
  alertmanager: `http://${host}:${ports.alertmanager}`,
  toxiproxy: `http://${host}:${ports.toxiproxy}`,
  orderApi: `http://${host}:${process.env.ORDER_API_PORT || 8080}`,
  lagExporter: `http://${host}:${lagExporter.port}`,
  kafka: `${host}:${ports.kafka}`,
} as const;

export const serviceUrl = (service: DownstreamName): string => `http://${host}:${downstream[service].port}`;
export const consumerUrl = (consumer: ConsumerKey): string => `http://${host}:${consumers[consumer].port}`;

/** fetch with a timeout, failing on a non-2xx answer with the body in the message. */
export async function call(url: string, init: RequestInit = {}, timeoutMs = 10_000): Promise<Response> {
  const res = await fetch(url, {
    ...init,
    headers: init.body === undefined ? init.headers : { 'content-type': 'application/json', ...init.headers },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${await res.text()}`);
  return res;
}

export const getJson = async <T>(url: string): Promise<T> => (await (await call(url)).json()) as T;
