// The clustered Temporal profile as stack components: PostgreSQL, then history and matching, then the
// frontend (named `temporal`, the component every app already depends on, on the same port 7233), then
// Temporal's internal worker service and the web UI. Each Temporal service is its own process of the same
// server binary (`start --service <name>`), as a production cluster runs them.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type Component } from '../components.ts';
import { tools } from '../tools.ts';
import { serviceConfigDir, writeServerConfigs } from './config.ts';
import { type ClusterLayout, type TemporalService } from './layout.ts';
import { ensureNamespace } from './namespace.ts';
import { asPostgresUser, initDataDir, migrateSchemas, postgresArgs, postgresBinaries } from './postgres.ts';

export interface ClusterOptions {
  /** Where setup commands log (initdb, temporal-sql-tool). */
  readonly logDir: string;
  /** Prometheus file-discovery folder; absent: the services are not announced (a test's own cluster). */
  readonly scrapeTargetsDir?: string;
}

/** Component names, frontend first: the one the apps depend on keeps the dev server's name. */
export const CLUSTER_COMPONENT: Readonly<Record<TemporalService | 'postgres' | 'ui', string>> = {
  frontend: 'temporal',
  history: 'temporal-history',
  matching: 'temporal-matching',
  worker: 'temporal-worker',
  postgres: 'temporal-postgres',
  ui: 'temporal-ui',
};

const SCRAPE_FILE_PREFIX = 'temporal-cluster-';

/** The dev profile leaves no cluster targets behind for Prometheus to find down. */
export function removeClusterScrapeTargets(dir: string): void {
  for (const s of ['history', 'matching', 'worker'])
    rmSync(join(dir, `${SCRAPE_FILE_PREFIX}${s}.json`), { force: true });
}

export function clusterComponents(layout: ClusterLayout, options: ClusterOptions): Component[] {
  const { host } = layout;
  const server = tools.temporalCluster.bins['temporal-server'];
  const setupLog = join(options.logDir, 'temporal-cluster-setup.log');
  const pgBinaries = postgresBinaries(join(layout.configDir, 'postgres-lib'));

  const service = (name: TemporalService, dependsOn: string[]): Component => ({
    name: CLUSTER_COMPONENT[name],
    command: server,
    // --root is the config folder itself: the server joins root and --config, so an absolute --config
    // alone would become relative.
    args: [
      '--root',
      serviceConfigDir(layout, name),
      '--config',
      '.',
      '--env',
      'development',
      '--allow-no-auth',
      'start',
      '--service',
      name,
    ],
    dependsOn,
    prepare: () => {
      writeServerConfigs(layout);
      // The frontend's metrics port is TEMPORAL_METRICS_PORT, which the static `temporal` job scrapes.
      if (options.scrapeTargetsDir && name !== 'frontend') {
        mkdirSync(options.scrapeTargetsDir, { recursive: true });
        writeFileSync(
          join(options.scrapeTargetsDir, `${SCRAPE_FILE_PREFIX}${name}.json`),
          JSON.stringify([
            { targets: [`${host}:${layout.services[name].metrics}`], labels: { job: 'temporal' } },
          ]),
        );
      }
    },
    // Temporal's worker service serves no gRPC: it is up when it listens for membership (ringpop).
    probe: { kind: 'tcp', host, port: layout.services[name][name === 'worker' ? 'membership' : 'grpc'] },
    startTimeoutMs: 60_000,
    endpoints: [
      name === 'worker'
        ? { label: 'membership', url: `${host}:${layout.services[name].membership}` }
        : { label: `${name} gRPC`, url: `${host}:${layout.services[name].grpc}` },
      { label: 'metrics', url: `http://${host}:${layout.services[name].metrics}/metrics` },
    ],
  });

  const frontend = service('frontend', [CLUSTER_COMPONENT.history, CLUSTER_COMPONENT.matching]);
  const uiDir = join(layout.configDir, 'ui');
  return [
    {
      name: CLUSTER_COMPONENT.postgres,
      ...(() => {
        const [command, args] = asPostgresUser(join(pgBinaries.bin, 'postgres'), postgresArgs(layout));
        return { command, args, env: { ...pgBinaries.env, LANG: 'C', LC_ALL: 'C', TZ: 'UTC' } };
      })(),
      prepare: () => initDataDir(layout, pgBinaries, setupLog),
      probe: {
        kind: 'check',
        describe: `PostgreSQL accepts connections on ${host}:${layout.postgres}`,
        async run() {
          const client = new pg.Client({
            host,
            port: layout.postgres,
            user: 'postgres',
            connectionTimeoutMillis: 2000,
          });
          try {
            await client.connect();
            await client.query('SELECT 1');
          } finally {
            await client.end().catch(() => undefined);
          }
        },
      },
      afterReady: () => migrateSchemas(layout, tools.temporalCluster.bins['temporal-sql-tool'], setupLog),
      endpoints: [{ label: 'PostgreSQL', url: `postgres://postgres@${host}:${layout.postgres}` }],
    },
    service('history', [CLUSTER_COMPONENT.postgres]),
    service('matching', [CLUSTER_COMPONENT.postgres]),
    {
      ...frontend,
      probe: { kind: 'http', url: `http://${host}:${layout.frontendHttp}/api/v1/system-info` },
      afterReady: async () =>
        void (await ensureNamespace(`${host}:${layout.services.frontend.grpc}`, setupLog)),
      endpoints: [
        { label: 'frontend gRPC', url: `${host}:${layout.services.frontend.grpc}` },
        { label: 'frontend HTTP', url: `http://${host}:${layout.frontendHttp}` },
        ...frontend.endpoints.slice(1),
      ],
    },
    service('worker', [CLUSTER_COMPONENT.frontend]),
    {
      // The CLI's dev server embeds this same UI server; the pinned CLI cannot serve it alone.
      name: CLUSTER_COMPONENT.ui,
      command: tools.temporalCluster.bins['temporal-ui-server'],
      args: ['--root', uiDir, '--config', '.', '--env', 'development', 'start'],
      dependsOn: [CLUSTER_COMPONENT.frontend],
      prepare: () => {
        mkdirSync(uiDir, { recursive: true });
        writeFileSync(
          join(uiDir, 'development.yaml'),
          JSON.stringify({
            temporalGrpcAddress: `${host}:${layout.services.frontend.grpc}`,
            host,
            port: layout.ui,
            enableUi: true,
            defaultNamespace: 'default',
            refreshInterval: '1m',
            cors: { cookieInsecure: true, unsafeAllowAllOrigins: true },
          }),
        );
      },
      probe: { kind: 'http', url: `http://${host}:${layout.ui}/api/v1/namespaces/default` },
      endpoints: [{ label: 'web UI', url: `http://${host}:${layout.ui}` }],
    },
  ];
}
