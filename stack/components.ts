// The native stack: one entry per process, with how to start it, how to know it is ready and where to
// reach it. Configs are rendered from templates in the repo into the state folder at start.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Kafka } from 'kafkajs';
import { host, ports } from '../platform/ports.ts';
import { repoRoot, statePaths } from '../platform/paths.ts';
import { renderFile, type Vars } from '../platform/render.ts';
import { type Probe } from './probes.ts';
import { type Program } from './supervisor.ts';
import { tools } from './tools.ts';
import { runLogged } from './exec.ts';
import { proxyDefinitions } from '../platform/proxies.ts';
import { ORDER_SEARCH_ATTRIBUTES } from '../contracts/order/definitions.ts';
import { devServerTuningArgs } from './temporal-tuning.ts';
import { alertmanagerVars } from '../alerts/alertmanager-vars.ts';

export interface Component extends Program {
  readonly probe: Probe;
  readonly dependsOn?: readonly string[];
  readonly endpoints: readonly { readonly label: string; readonly url: string }[];
  /** Renders configs, formats storage: anything that must happen before the process starts. */
  readonly prepare?: () => void | Promise<void>;
  /** Runs once the probe passes, on every start (so idempotent): setup that needs the process up. */
  readonly afterReady?: () => Promise<void>;
  readonly startTimeoutMs?: number;
}

/** A fixed cluster id (base64 of 16 bytes) so a re-format after wiping data keeps client configs valid. */
const KAFKA_CLUSTER_ID = 'b3JkZXJmbG93LWxvY2FsMA';
const dataDir = (name: string): string => join(statePaths.data, name);
const configOut = (name: string, file: string): string => join(statePaths.config, name, file);

export const vars: Vars = {
  ...Object.fromEntries(
    Object.entries({
      TEMPORAL_PORT: ports.temporal,
      TEMPORAL_METRICS_PORT: ports.temporalMetrics,
      KAFKA_PORT: ports.kafka,
      KAFKA_PROXIED_PORT: ports.kafkaProxied,
      KAFKA_CHAOS_PORT: ports.kafkaChaosListener,
      KAFKA_ADVERTISED_PORT: ports.kafkaProxied,
      KAFKA_CONTROLLER_PORT: ports.kafkaController,
      KAFKA_METRICS_PORT: ports.kafkaMetrics,
      SCHEMA_REGISTRY_PORT: ports.schemaRegistry,
      PROMETHEUS_PORT: ports.prometheus,
      ALERTMANAGER_PORT: ports.alertmanager,
      TEMPO_HTTP_PORT: ports.tempoHttp,
      TEMPO_GRPC_PORT: ports.tempoGrpc,
      OTLP_GRPC_PORT: ports.otlpGrpc,
      OTLP_HTTP_PORT: ports.otlpHttp,
      TOXIPROXY_PORT: ports.toxiproxy,
    }),
  ),
  KAFKA_ADVERTISED_HOST: host,
  KAFKA_DATA_DIR: dataDir('kafka'),
  KAFKA_LOG_DIR: statePaths.logs,
  TEMPO_DATA_DIR: dataDir('tempo'),
  SCRAPE_TARGETS_DIR: statePaths.scrapeTargets,
  RULES_GLOB: join(repoRoot, 'alerts', 'rules', '*.rules.yml'),
  // Receivers (PagerDuty, Slack, the local webhook) and the runbook base: see alerts/README.md.
  ...alertmanagerVars(),
};

const url = (port: number, path = ''): string => `http://${host}:${port}${path}`;

/** Kafka is ready when a client can fetch cluster metadata, not merely when the port is open. */
export function kafkaReadyProbe(kafka: () => Kafka): Probe {
  return {
    kind: 'check',
    describe: `Kafka metadata from ${host}:${ports.kafka}`,
    async run() {
      const admin = kafka().admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length === 0) throw new Error('no brokers in metadata');
      } finally {
        await admin.disconnect();
      }
    },
  };
}

export function components(kafka: () => Kafka): Component[] {
  const kafkaLibs = tools.kafka.bins.libs;
  return [
    {
      name: 'temporal',
      command: tools.temporal.bins.temporal,
      args: [
        'server',
        'start-dev',
        '--ip',
        host,
        '--port',
        String(ports.temporal),
        '--ui-port',
        String(ports.temporalUi),
        '--metrics-port',
        String(ports.temporalMetrics),
        '--db-filename',
        join(dataDir('temporal'), 'temporal.db'),
        // WAL: concurrent readers, and a crash or restart keeps every running workflow.
        '--sqlite-pragma',
        'journal_mode=wal',
        '--sqlite-pragma',
        'synchronous=2',
        ...devServerTuningArgs(),
        // The order workflow's status search attributes (order-api's in-flight gauges list by them).
        ...Object.entries(ORDER_SEARCH_ATTRIBUTES).flatMap(([name, type]) => [
          '--search-attribute',
          `${name}=${type}`,
        ]),
        '--log-format',
        'json',
        '--log-level',
        'warn',
      ],
      prepare: () => void mkdirSync(dataDir('temporal'), { recursive: true }),
      probe: { kind: 'http', url: url(ports.temporalUi, '/api/v1/namespaces/default') },
      endpoints: [
        { label: 'frontend gRPC', url: `${host}:${ports.temporal}` },
        { label: 'web UI', url: url(ports.temporalUi) },
        { label: 'metrics', url: url(ports.temporalMetrics, '/metrics') },
      ],
    },
    {
      name: 'kafka',
      command: 'java',
      args: [
        '-Xms128m',
        '-Xmx512m',
        '-XX:+UseG1GC',
        `-Dlog4j2.configurationFile=${configOut('kafka', 'log4j2.yaml')}`,
        `-javaagent:${kafkaLibs}/jmx_prometheus_javaagent-1.0.1.jar=${host}:${ports.kafkaMetrics}:${join(repoRoot, 'stack', 'tools', 'kafka', 'jmx-exporter.yaml')}`,
        '-cp',
        `${kafkaLibs}/*`,
        'kafka.Kafka',
        configOut('kafka', 'server.properties'),
      ],
      async prepare() {
        const templates = join(repoRoot, 'stack', 'tools', 'kafka');
        const props = renderFile(
          join(templates, 'server.template.properties'),
          configOut('kafka', 'server.properties'),
          vars,
        );
        renderFile(join(templates, 'log4j2.template.yaml'), configOut('kafka', 'log4j2.yaml'), vars);
        if (!existsSync(join(dataDir('kafka'), 'meta.properties'))) {
          // KRaft storage is formatted once; the cluster id lives in meta.properties from then on.
          mkdirSync(dataDir('kafka'), { recursive: true });
          await runLogged(
            'java',
            [
              '-cp',
              `${kafkaLibs}/*`,
              'kafka.tools.StorageTool',
              'format',
              '--standalone',
              '--ignore-formatted',
              '-t',
              KAFKA_CLUSTER_ID,
              '-c',
              props,
            ],
            join(statePaths.logs, 'kafka-format.log'),
          );
        }
      },
      probe: kafkaReadyProbe(kafka),
      startTimeoutMs: 90_000,
      endpoints: [
        { label: 'broker (direct)', url: `${host}:${ports.kafka}` },
        { label: 'broker via Toxiproxy', url: `${host}:${ports.kafkaProxied}` },
      ],
    },
    {
      // Apicurio Registry; its ccompat API is the Confluent Schema Registry REST API.
      name: 'schema-registry',
      command: 'java',
      args: ['-Xms64m', '-Xmx384m', '-jar', tools.schemaRegistry.bins.jar],
      env: {
        QUARKUS_HTTP_HOST: host,
        QUARKUS_HTTP_PORT: String(ports.schemaRegistry),
        // H2 on disk, so registered schema ids survive a restart (messages in Kafka carry them).
        REGISTRY_DATASOURCE_URL: `jdbc:h2:file:${join(dataDir('schema-registry'), 'registry')};DB_CLOSE_ON_EXIT=FALSE`,
        QUARKUS_LOG_CONSOLE_JSON: 'false',
      },
      prepare: () => void mkdirSync(dataDir('schema-registry'), { recursive: true }),
      probe: { kind: 'http', url: url(ports.schemaRegistry, '/apis/ccompat/v7/subjects') },
      startTimeoutMs: 90_000,
      endpoints: [{ label: 'Confluent API', url: url(ports.schemaRegistry, '/apis/ccompat/v7') }],
    },
    {
      name: 'tempo',
      command: tools.tempo.bins.tempo,
      args: [`-config.file=${configOut('tempo', 'tempo.yaml')}`],
      prepare: () => {
        mkdirSync(dataDir('tempo'), { recursive: true });
        renderFile(
          join(repoRoot, 'observability', 'tempo', 'tempo.template.yaml'),
          configOut('tempo', 'tempo.yaml'),
          vars,
        );
      },
      probe: { kind: 'http', url: url(ports.tempoHttp, '/ready') },
      // Tempo 2.8's query frontend can hang on SIGTERM after serving a query; its WAL makes SIGKILL safe.
      stopWaitSecs: 10,
      startTimeoutMs: 60_000,
      endpoints: [
        { label: 'query / TraceQL', url: url(ports.tempoHttp) },
        { label: 'OTLP gRPC', url: `${host}:${ports.otlpGrpc}` },
        { label: 'OTLP HTTP', url: url(ports.otlpHttp) },
      ],
    },
    {
      name: 'prometheus',
      command: tools.prometheus.bins.prometheus,
      args: [
        `--config.file=${configOut('prometheus', 'prometheus.yml')}`,
        `--storage.tsdb.path=${dataDir('prometheus')}`,
        '--storage.tsdb.retention.time=7d',
        `--web.listen-address=${host}:${ports.prometheus}`,
        '--web.enable-remote-write-receiver',
        '--web.enable-lifecycle',
        '--enable-feature=exemplar-storage',
      ],
      prepare: () => {
        mkdirSync(statePaths.scrapeTargets, { recursive: true });
        renderFile(
          join(repoRoot, 'observability', 'prometheus', 'prometheus.template.yml'),
          configOut('prometheus', 'prometheus.yml'),
          vars,
        );
      },
      probe: { kind: 'http', url: url(ports.prometheus, '/-/ready') },
      endpoints: [{ label: 'UI / API', url: url(ports.prometheus) }],
    },
    {
      name: 'alertmanager',
      command: tools.alertmanager.bins.alertmanager,
      args: [
        `--config.file=${configOut('alertmanager', 'alertmanager.yml')}`,
        `--storage.path=${dataDir('alertmanager')}`,
        `--web.listen-address=${host}:${ports.alertmanager}`,
        '--cluster.listen-address=', // single instance: no gossip port
      ],
      prepare: () => {
        mkdirSync(dataDir('alertmanager'), { recursive: true });
        renderFile(
          join(repoRoot, 'alerts', 'alertmanager.template.yml'),
          configOut('alertmanager', 'alertmanager.yml'),
          vars,
        );
      },
      probe: { kind: 'http', url: url(ports.alertmanager, '/-/ready') },
      endpoints: [{ label: 'UI / API', url: url(ports.alertmanager) }],
    },
    {
      // The PagerDuty and Slack stand-in Alertmanager delivers to locally; drills read it (alerts/receiver/).
      name: 'alert-receiver',
      command: process.execPath,
      args: [join(repoRoot, 'alerts', 'receiver', 'main.ts')],
      env: { HOST: host, PORT: String(ports.alertReceiver) },
      probe: { kind: 'http', url: url(ports.alertReceiver, '/healthz') },
      endpoints: [{ label: 'received alerts', url: url(ports.alertReceiver, '/received') }],
    },
    {
      name: 'toxiproxy',
      command: tools.toxiproxy.bins['toxiproxy-server'],
      args: [
        '-host',
        host,
        '-port',
        String(ports.toxiproxy),
        '-config',
        configOut('toxiproxy', 'proxies.json'),
        '-proxy-metrics',
        '-runtime-metrics',
      ],
      prepare: () => {
        mkdirSync(join(statePaths.config, 'toxiproxy'), { recursive: true });
        writeFileSync(configOut('toxiproxy', 'proxies.json'), JSON.stringify(proxyDefinitions(), null, 2));
      },
      probe: { kind: 'http', url: url(ports.toxiproxy, '/version') },
      endpoints: [{ label: 'API', url: url(ports.toxiproxy) }],
    },
  ];
}
