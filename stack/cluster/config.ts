// The Temporal server's static config for each service of the cluster, and the dynamic config they share.
// Written as JSON, which the server's YAML loader reads as it is (JSON is YAML). Each service gets its own
// file only because the metrics listen address is global in Temporal's config; the rest is identical,
// so every process knows every service's ports. Shape: go.temporal.io/server v1.29.1 common/config and its
// config/development-postgres12.yaml.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPORAL_SERVICES, type ClusterLayout, type TemporalService } from './layout.ts';
import { TEMPORAL_TUNING } from '../temporal-tuning.ts';

export const TEMPORAL_DATABASES = { default: 'temporal', visibility: 'temporal_visibility' } as const;

/**
 * Shards are fixed when the cluster is first created (the dev server runs 1). Four, as Temporal's own
 * development configs, lets two history hosts share work; a production cluster sizes this for years.
 */
export const NUM_HISTORY_SHARDS = 4;

/**
 * The dev server's dynamic config (CLI 1.5.1: temporalcli/commands.server.go and devserver/server.go),
 * with the project's own tuning (stack/temporal-tuning.ts, which the dev server gets as flags), so a
 * cluster-vs-dev-server measurement differs in topology and database, not in tuning. The search-attribute
 * cache refresh on read also makes the order attributes usable at once after registering.
 */
export const DYNAMIC_CONFIG: Readonly<Record<string, unknown>> = {
  ...TEMPORAL_TUNING,
  'system.forceSearchAttributesCacheRefreshOnRead': true,
  'frontend.persistenceMaxQPS': 10000,
  'history.persistenceMaxQPS': 45000,
  'history.hostLevelCacheMaxSize': 8096,
  'frontend.namespaceRPS.visibility': 100,
};

const sqlStore = (layout: ClusterLayout, databaseName: string, maxConns: number) => ({
  sql: {
    pluginName: 'postgres12',
    databaseName,
    connectAddr: `${layout.host}:${layout.postgres}`,
    connectProtocol: 'tcp',
    user: 'postgres', // the embedded server's superuser, trust auth on loopback
    password: '',
    maxConns,
    maxIdleConns: maxConns,
    maxConnLifetime: '1h',
  },
});

export function serverConfig(layout: ClusterLayout, service: TemporalService, dynamicConfigFile: string) {
  const frontend = `${layout.host}:${layout.services.frontend.grpc}`;
  return {
    log: { stdout: true, level: 'warn', format: 'json' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: NUM_HISTORY_SHARDS,
      datastores: {
        'postgres-default': sqlStore(layout, TEMPORAL_DATABASES.default, 20),
        'postgres-visibility': sqlStore(layout, TEMPORAL_DATABASES.visibility, 10),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: layout.host },
      metrics: {
        prometheus: {
          framework: 'tally',
          timerType: 'histogram',
          listenAddress: `${layout.host}:${layout.services[service].metrics}`,
        },
      },
    },
    services: Object.fromEntries(
      TEMPORAL_SERVICES.map((s) => [
        s,
        {
          rpc: {
            grpcPort: layout.services[s].grpc,
            membershipPort: layout.services[s].membership,
            bindOnLocalHost: true,
            ...(s === 'frontend' ? { httpPort: layout.frontendHttp } : {}),
          },
        },
      ]),
    ),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: frontend,
          httpAddress: `${layout.host}:${layout.frontendHttp}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    // The internal worker service's SDK client reaches the frontend here.
    publicClient: { hostPort: frontend },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

/** Dynamic config file format: each key a list of constrained values; no constraints = everywhere. */
export const dynamicConfigFileContent = (values: Readonly<Record<string, unknown>>) =>
  Object.fromEntries(Object.entries(values).map(([k, value]) => [k, [{ value, constraints: {} }]]));

/** The folder a service's `--root` points at (its `development.yaml`). */
export const serviceConfigDir = (layout: ClusterLayout, service: TemporalService): string =>
  join(layout.configDir, service);

/**
 * Writes `<configDir>/<service>/development.yaml` for each service and the dynamic config; returns the
 * folder to pass as `--config` for each service.
 */
export function writeServerConfigs(layout: ClusterLayout): Record<TemporalService, string> {
  mkdirSync(layout.configDir, { recursive: true });
  const dynamic = join(layout.configDir, 'dynamicconfig.yaml');
  writeFileSync(dynamic, JSON.stringify(dynamicConfigFileContent(DYNAMIC_CONFIG), null, 2));
  const dirs = {} as Record<TemporalService, string>;
  for (const service of TEMPORAL_SERVICES) {
    const dir = serviceConfigDir(layout, service);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'development.yaml'),
      JSON.stringify(serverConfig(layout, service, dynamic), null, 2),
    );
    dirs[service] = dir;
  }
  return dirs;
}
