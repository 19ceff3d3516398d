// orderflow's Kafka consumer processes and the lag exporter: names, consumer groups, subscriptions,
// ports and entry points. One table, used by the stack runner, the lag exporter, the replay command and
// the tests. Ports: 8201-8208 for consumers (four free for new ones), 8209 for the lag exporter; each
// overridable by its `<NAME>_PORT` variable. Every process answers /healthz, /readyz and /metrics.
import { join } from 'node:path';
import { envPort, envPrefix } from '../platform/config.ts';
import { ORDER_TOPICS, type OrderTopics } from '../events/topics.ts';
import { type OrderEventKind } from '../contracts/events/types.ts';

export interface ConsumerProcess {
  /** Process name, OTel service.name, consumer group and SQLite file (`<DATA_DIR>/<name>.db`). */
  readonly name: string;
  readonly group: string;
  readonly subscribes: readonly OrderEventKind[];
  readonly portEnv: string;
  readonly port: number;
  /** Entry point relative to the repository root. */
  readonly entry: string;
}

export interface LagExporterProcess {
  readonly name: string;
  readonly portEnv: string;
  readonly port: number;
  readonly entry: string;
  /** Environment it always runs with, locally and in Kubernetes. */
  readonly env: Readonly<Record<string, string>>;
}

const portEnvOf = (name: string): string => `${envPrefix(name)}_PORT`;

const consumer = (name: string, port: number, subscribes: readonly OrderEventKind[]): ConsumerProcess => ({
  name,
  group: name,
  subscribes,
  portEnv: portEnvOf(name),
  port: envPort(portEnvOf(name), port),
  entry: join('consumers', name, 'main.ts'),
});

export const consumers = {
  loyalty: consumer('loyalty-consumer', 8201, ['completed']),
  analytics: consumer('analytics-consumer', 8202, ['completed', 'failed']),
  email: consumer('email-consumer', 8203, ['completed', 'failed']),
  auditLog: consumer('audit-log-consumer', 8204, ['completed', 'failed']),
} as const satisfies Record<string, ConsumerProcess>;

export type ConsumerKey = keyof typeof consumers;

export const lagExporter: LagExporterProcess = {
  name: 'kafka-lag-exporter',
  portEnv: portEnvOf('kafka-lag-exporter'),
  port: envPort(portEnvOf('kafka-lag-exporter'), 8209),
  entry: join('consumers', 'lag-exporter', 'main.ts'),
  // Untraced: its probe consumer reads every order event, and traced that made a root trace ("poll
  // orders.completed") per batch: Tempo filled with traces of no order, for CPU in both processes.
  env: { OTEL_SDK_DISABLED: 'true' },
};

export const consumerByName = (name: string): ConsumerProcess | undefined =>
  Object.values(consumers).find((c) => c.name === name);

/** The readiness URL of a consumer or the lag exporter (what the stack runner probes). */
export const readyUrl = (p: { readonly port: number }, host = '127.0.0.1'): string =>
  `http://${host}:${p.port}/readyz`;

/** What the lag exporter measures: each consumer group and the topics it subscribes to. */
export function lagTargets(topics: OrderTopics = ORDER_TOPICS): { group: string; topics: string[] }[] {
  return Object.values(consumers).map((c) => ({
    group: c.group,
    topics: c.subscribes.map((k) => topics[k]),
  }));
}
