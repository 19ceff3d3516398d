// The configs of docker-compose.yml, rendered from the same templates and with the same renderer as the
// native stack (platform/render.ts), so the two never drift apart. Compose runs this file in its `configs`
// service (node image, repository mounted read-only) before anything else starts:
//   node tools/compose/render-configs.ts <out dir>
// What differs from the native stack is only where things are: every process listens on 0.0.0.0 in its
// own container and is reached by its compose service name, and files live at container paths.
// It imports nothing outside the repository and Node, so it runs without node_modules.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderText, type Vars } from '../../platform/render.ts';
import { alertmanagerVars } from '../../alerts/alertmanager-vars.ts';
import { proxyDefinitions } from '../../platform/proxies.ts';

const repoRoot = join(import.meta.dirname, '..', '..');

/** The native stack's default ports; compose keeps every one, so URLs and docs carry over. */
export const COMPOSE_PORTS = {
  temporalMetrics: 7235,
  kafka: 9092,
  kafkaChaos: 9094,
  kafkaProxied: 19092,
  kafkaController: 29093,
  kafkaMetrics: 7071,
  schemaRegistry: 8081,
  prometheus: 9090,
  alertmanager: 9093,
  tempoHttp: 3200,
  tempoGrpc: 9095,
  otlpGrpc: 4317,
  otlpHttp: 4318,
  toxiproxy: 8474,
} as const;

/** Port → compose service: a target the native stack reaches on 127.0.0.1 is this service here. */
const SERVICE_BY_PORT: Readonly<Record<number, string>> = {
  [COMPOSE_PORTS.temporalMetrics]: 'temporal',
  [COMPOSE_PORTS.kafkaMetrics]: 'kafka',
  [COMPOSE_PORTS.schemaRegistry]: 'schema-registry',
  [COMPOSE_PORTS.prometheus]: 'prometheus',
  [COMPOSE_PORTS.alertmanager]: 'alertmanager',
  [COMPOSE_PORTS.tempoHttp]: 'tempo',
  [COMPOSE_PORTS.toxiproxy]: 'toxiproxy',
};

/** Container paths (docker-compose.yml mounts them). */
export const CONTAINER_PATHS = {
  rules: '/etc/prometheus/rules',
  scrapeTargets: '/etc/prometheus/targets',
  tempoData: '/var/tempo',
  kafkaData: '/tmp/kraft-combined-logs',
} as const;

const template = (...path: string[]): string => readFileSync(join(repoRoot, ...path), 'utf8');

/** Replaces every `before` in `text`, and fails when there is none: the template changed under us. */
function replaceEvery(text: string, before: RegExp, after: string, what: string): string {
  if (!before.test(text)) throw new Error(`compose render: ${what} not found in its template`);
  return text.replace(new RegExp(before.source, `${before.flags.replace('g', '')}g`), after);
}

const vars: Vars = {
  TEMPORAL_METRICS_PORT: COMPOSE_PORTS.temporalMetrics,
  KAFKA_PORT: COMPOSE_PORTS.kafka,
  KAFKA_CHAOS_PORT: COMPOSE_PORTS.kafkaChaos,
  // Clients run on the Docker host and reach Kafka through the published Toxiproxy port, as locally.
  KAFKA_ADVERTISED_HOST: '127.0.0.1',
  KAFKA_ADVERTISED_PORT: COMPOSE_PORTS.kafkaProxied,
  KAFKA_CONTROLLER_PORT: COMPOSE_PORTS.kafkaController,
  KAFKA_METRICS_PORT: COMPOSE_PORTS.kafkaMetrics,
  KAFKA_DATA_DIR: CONTAINER_PATHS.kafkaData,
  SCHEMA_REGISTRY_PORT: COMPOSE_PORTS.schemaRegistry,
  PROMETHEUS_PORT: COMPOSE_PORTS.prometheus,
  ALERTMANAGER_PORT: COMPOSE_PORTS.alertmanager,
  TEMPO_HTTP_PORT: COMPOSE_PORTS.tempoHttp,
  TEMPO_GRPC_PORT: COMPOSE_PORTS.tempoGrpc,
  TEMPO_DATA_DIR: CONTAINER_PATHS.tempoData,
  OTLP_GRPC_PORT: COMPOSE_PORTS.otlpGrpc,
  OTLP_HTTP_PORT: COMPOSE_PORTS.otlpHttp,
  TOXIPROXY_PORT: COMPOSE_PORTS.toxiproxy,
  RULES_GLOB: `${CONTAINER_PATHS.rules}/*.rules.yml`,
  SCRAPE_TARGETS_DIR: CONTAINER_PATHS.scrapeTargets,
};

function prometheusConfig(): string {
  const rendered = renderText(template('observability', 'prometheus', 'prometheus.template.yml'), vars);
  return rendered.replace(/127\.0\.0\.1:(\d+)/g, (whole, port: string) => {
    const service = SERVICE_BY_PORT[Number(port)];
    if (!service) throw new Error(`compose render: no compose service for Prometheus target ${whole}`);
    return `${service}:${port}`;
  });
}

function tempoConfig(): string {
  let text = renderText(template('observability', 'tempo', 'tempo.template.yaml'), vars);
  // Reached from other containers: the HTTP API (Grafana, Prometheus) and OTLP (the Collector).
  text = replaceEvery(
    text,
    /http_listen_address: 127\.0\.0\.1/,
    'http_listen_address: 0.0.0.0',
    'HTTP listen',
  );
  return replaceEvery(text, /endpoint: 127\.0\.0\.1:/, 'endpoint: 0.0.0.0:', 'OTLP receiver endpoints');
}

function kafkaConfig(): string {
  const text = renderText(template('stack', 'tools', 'kafka', 'server.template.properties'), vars);
  // Client listeners bind every interface (the host reaches them through published ports, Toxiproxy
  // through the compose network); the controller stays inside the container.
  return replaceEvery(
    text,
    /^listeners=PLAINTEXT:\/\/127\.0\.0\.1:(\d+),CHAOS:\/\/127\.0\.0\.1:/m,
    'listeners=PLAINTEXT://0.0.0.0:$1,CHAOS://0.0.0.0:',
    'client listeners',
  );
}

function alertmanagerConfig(env: NodeJS.ProcessEnv): string {
  return renderText(template('alerts', 'alertmanager.template.yml'), alertmanagerVars(env));
}

/** Toxiproxy in compose fronts Kafka only: the downstream services are orderflow processes, not in compose. */
function toxiproxyConfig(): string {
  const kafka = proxyDefinitions().filter((p) => p.name === 'kafka');
  const proxies = kafka.map((p) => ({
    ...p,
    listen: `0.0.0.0:${COMPOSE_PORTS.kafkaProxied}`,
    upstream: `kafka:${COMPOSE_PORTS.kafkaChaos}`,
  }));
  return `${JSON.stringify(proxies, null, 2)}\n`;
}

/** Output path (relative to the output dir) → content. */
export function composeConfigs(env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  return new Map([
    ['prometheus/prometheus.yml', prometheusConfig()],
    ['tempo/tempo.yaml', tempoConfig()],
    ['kafka/server.properties', kafkaConfig()],
    ['alertmanager/alertmanager.yml', alertmanagerConfig(env)],
    ['toxiproxy/proxies.json', toxiproxyConfig()],
  ]);
}

export function writeComposeConfigs(outDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const files = composeConfigs(env);
  for (const [path, content] of files) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), content);
  }
  return [...files.keys()].map((p) => join(outDir, p));
}

if (import.meta.main) {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: node tools/compose/render-configs.ts <out dir>');
  for (const file of writeComposeConfigs(outDir)) console.log(`rendered ${file}`);
}
