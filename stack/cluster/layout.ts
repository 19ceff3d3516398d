// Where the clustered Temporal profile's processes listen and keep their files. The stack's layout uses
// fixed ports (the frontend on TEMPORAL_PORT, so every client is unchanged); a test builds its own layout
// on free ports and a scratch folder, so it can run beside the shared stack.
import { join } from 'node:path';
import { envPort } from '../../platform/config.ts';
import { host, ports } from '../../platform/ports.ts';
import { statePaths } from '../../platform/paths.ts';

/** Temporal's four services, each its own process (`temporal-server start --service <name>`). */
export const TEMPORAL_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

export interface ServicePorts {
  readonly grpc: number;
  readonly membership: number;
  readonly metrics: number;
}

export interface ClusterLayout {
  readonly host: string;
  readonly services: Readonly<Record<TemporalService, ServicePorts>>;
  /** The frontend's HTTP API (`/api/v1/...`), also the readiness probe. */
  readonly frontendHttp: number;
  readonly postgres: number;
  readonly ui: number;
  /** PostgreSQL's data folder (owned by the user PostgreSQL runs as). */
  readonly dataDir: string;
  /** Rendered server configs, one folder per service, and the dynamic config. */
  readonly configDir: string;
}

/**
 * The stack's cluster: Temporal's own default gRPC and membership ports, except matching (7236, since
 * 7235 is TEMPORAL_METRICS_PORT, which the frontend serves so Prometheus's `temporal` job keeps its target).
 * Each port moves with `TEMPORAL_CLUSTER_<SERVICE>_<KIND>_PORT`, PostgreSQL with TEMPORAL_POSTGRES_PORT.
 */
export function stackClusterLayout(env: NodeJS.ProcessEnv = process.env): ClusterLayout {
  const p = (name: string, fallback: number): number =>
    envPort(`TEMPORAL_CLUSTER_${name}_PORT`, fallback, env);
  return {
    host,
    services: {
      frontend: {
        grpc: ports.temporal,
        membership: p('FRONTEND_MEMBERSHIP', 6933),
        metrics: ports.temporalMetrics,
      },
      history: {
        grpc: p('HISTORY_GRPC', 7234),
        membership: p('HISTORY_MEMBERSHIP', 6934),
        metrics: p('HISTORY_METRICS', 7244),
      },
      matching: {
        grpc: p('MATCHING_GRPC', 7236),
        membership: p('MATCHING_MEMBERSHIP', 6936),
        metrics: p('MATCHING_METRICS', 7246),
      },
      worker: {
        grpc: p('WORKER_GRPC', 7239),
        membership: p('WORKER_MEMBERSHIP', 6939),
        metrics: p('WORKER_METRICS', 7249),
      },
    },
    frontendHttp: p('FRONTEND_HTTP', 7243),
    postgres: envPort('TEMPORAL_POSTGRES_PORT', 5433, env),
    ui: ports.temporalUi,
    dataDir: join(statePaths.data, 'temporal-postgres'),
    configDir: join(statePaths.config, 'temporal-cluster'),
  };
}

/** Every port of a layout, for a port-clash check and for tests that hand out free ports. */
export function layoutPorts(layout: ClusterLayout): number[] {
  return [
    ...TEMPORAL_SERVICES.flatMap((s) => {
      const { grpc, membership, metrics } = layout.services[s];
      return [grpc, membership, metrics];
    }),
    layout.frontendHttp,
    layout.postgres,
    layout.ui,
  ];
}
