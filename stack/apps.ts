// orderflow's own processes on the local stack: the downstream services, order-api and the three
// Temporal workers. Each is a Node 24 process under supervisord, ready when it answers (services) or
// when its task queue has pollers (workers).
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import protoPackage from '@temporalio/proto';
import { downstream } from '../platform/downstream.ts';
import { TASK_QUEUES } from '../contracts/order/definitions.ts';
import { type Component } from './components.ts';
import { host, ports } from '../platform/ports.ts';
import { type Probe } from './probes.ts';
import { repoRoot, stateDir } from '../platform/paths.ts';
import { consumers, lagExporter, readyUrl } from '../consumers/registry.ts';
import { setupOrderEventsFromEnv } from '../events/setup.ts';
import { SHADOW_NAMESPACE } from '../contracts/shadow.ts';
import { ensureNamespace } from './cluster/namespace.ts';

/** Order topics and schemas, once per start, before anything publishes or consumes (idempotent). */
let orderEventsReady: Promise<void> | undefined;
const ensureOrderEvents = (): Promise<void> =>
  (orderEventsReady ??= setupOrderEventsFromEnv().then(() => undefined));

const proto = protoPackage.temporal; // CommonJS package: no named ESM export

export const ORDER_API_PORT = Number(process.env.ORDER_API_PORT ?? 8080);

/** Where every process sends its spans: Tempo's OTLP/HTTP receiver (the Collector in docker-compose). */
const OTLP_ENDPOINT = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? `http://${host}:${ports.otlpHttp}`;

/**
 * `ORDERFLOW_CPU_PROFILE=order-worker,fraud-service npm start`: those processes run with V8's CPU profiler
 * and write a .cpuprofile into <state>/profiles/<name>/ when they stop (`npm stop`): where the CPU of an order goes
 * (README "Performance"). Off by default: the profiler costs CPU of its own.
 */
const profiled = new Set((process.env.ORDERFLOW_CPU_PROFILE ?? '').split(',').filter(Boolean));
const cpuProfileArgs = (name: string): string[] =>
  profiled.has(name) ? ['--cpu-prof', `--cpu-prof-dir=${join(stateDir, 'profiles', name)}`] : [];

const node = (name: string, entry: string, env: Record<string, string> = {}) => ({
  command: process.execPath, // the Node 24 that runs this CLI
  args: [
    // kafkajs 2.2.4 trips Node 24's negative-timeout warning on every request; Node clamps it: noise.
    '--disable-warning=TimeoutNegativeWarning',
    ...cpuProfileArgs(name),
    // The OpenTelemetry SDK and its instrumentations load before the app (observability/tracing).
    '--import',
    join(repoRoot, 'observability', 'tracing', 'bootstrap.ts'),
    join(repoRoot, entry),
  ],
  env: {
    NODE_ENV: 'development',
    OTEL_SERVICE_NAME: name,
    OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_ENDPOINT,
    // `OTEL_SDK_DISABLED=true npm start` starts them without tracing (npm run load -- … --compare-tracing).
    ...(process.env.OTEL_SDK_DISABLED ? { OTEL_SDK_DISABLED: process.env.OTEL_SDK_DISABLED } : {}),
    ...env,
  },
});

/** A worker is ready when Temporal sees it polling its task queue. */
function pollersProbe(taskQueue: string, type: 'workflow' | 'activity'): Probe {
  return {
    kind: 'check',
    describe: `pollers on Temporal task queue ${taskQueue} (${type})`,
    async run() {
      const connection = await Connection.connect({
        address: `${host}:${ports.temporal}`,
        connectTimeout: 2000,
      });
      try {
        const res = await connection.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: taskQueue, kind: proto.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType:
            type === 'workflow'
              ? proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
              : proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        });
        if ((res.pollers ?? []).length === 0) throw new Error('no pollers yet');
      } finally {
        await connection.close();
      }
    },
  };
}

export function appComponents(): Component[] {
  const services: Component[] = Object.values(downstream).map((s) => ({
    name: s.name,
    ...node(s.name, `services/${s.name}/main.ts`, { PORT: String(s.port), HOST: host }),
    dependsOn: ['toxiproxy'],
    probe: { kind: 'http', url: `http://${host}:${s.port}/healthz` },
    endpoints: [
      { label: 'HTTP', url: `http://${host}:${s.port}` },
      { label: 'via Toxiproxy', url: `http://${host}:${s.proxyPort}` },
    ],
  }));
  const serviceNames = services.map((s) => s.name);
  return [
    ...services,
    {
      name: 'order-api',
      ...node('order-api', 'services/order-api/main.ts', { PORT: String(ORDER_API_PORT), HOST: host }),
      dependsOn: ['temporal'],
      probe: { kind: 'http', url: `http://${host}:${ORDER_API_PORT}/readyz` },
      endpoints: [{ label: 'HTTP API', url: `http://${host}:${ORDER_API_PORT}` }],
    },
    {
      // The ADR-0031 synchronous pipeline: the migration baseline (services/legacy-order-service).
      name: 'legacy-order-service',
      ...node('legacy-order-service', 'services/legacy-order-service/main.ts', {
        PORT: String(ports.legacyOrderService),
        HOST: host,
      }),
      dependsOn: serviceNames,
      probe: { kind: 'http', url: `http://${host}:${ports.legacyOrderService}/readyz` },
      endpoints: [{ label: 'HTTP API (legacy)', url: `http://${host}:${ports.legacyOrderService}` }],
    },
    {
      // The canary router (ADR-0047 phases 2 and 3): its share comes from `npm run canary`; legacy may be down.
      name: 'order-router',
      ...node('order-router', 'services/order-router/main.ts', {
        PORT: String(ports.orderRouter),
        HOST: host,
      }),
      dependsOn: ['order-api'],
      probe: { kind: 'http', url: `http://${host}:${ports.orderRouter}/healthz` },
      endpoints: [{ label: 'canary router', url: `http://${host}:${ports.orderRouter}` }],
    },
    {
      // Shadow mode (ADR-0047 phase 1): idle unless `npm run shadow -- on`; then its own workers, decide-only,
      // in the namespace orderflow-shadow (registered here, with the order search attributes, on every start).
      name: 'order-shadow',
      ...node('order-shadow', 'services/order-shadow/main.ts', {
        PORT: String(ports.orderShadow),
        HOST: host,
      }),
      dependsOn: ['temporal', ...serviceNames],
      prepare: async () =>
        void (await ensureNamespace(
          `${host}:${ports.temporal}`,
          join(stateDir, 'logs', 'order-shadow-namespace.log'),
          SHADOW_NAMESPACE,
        )),
      probe: { kind: 'http', url: `http://${host}:${ports.orderShadow}/healthz` },
      endpoints: [{ label: 'shadow mode', url: `http://${host}:${ports.orderShadow}/shadow/report` }],
    },
    {
      name: 'order-worker',
      ...node('order-worker', 'workflows/workers/order-worker.ts'),
      dependsOn: ['temporal', 'kafka', 'schema-registry', ...serviceNames],
      prepare: ensureOrderEvents,
      probe: pollersProbe(TASK_QUEUES.orders, 'workflow'),
      startTimeoutMs: 90_000, // bundles the workflow code at start
      endpoints: [{ label: 'task queue', url: TASK_QUEUES.orders }],
    },
    {
      name: 'fraud-worker',
      ...node('fraud-worker', 'workflows/workers/fraud-worker.ts'),
      dependsOn: ['temporal', 'fraud-service'],
      probe: pollersProbe(TASK_QUEUES.fraud, 'activity'),
      endpoints: [{ label: 'task queue', url: TASK_QUEUES.fraud }],
    },
    {
      name: 'payment-worker',
      ...node('payment-worker', 'workflows/workers/payment-worker.ts'),
      dependsOn: ['temporal', 'payment-gateway'],
      probe: pollersProbe(TASK_QUEUES.payments, 'activity'),
      endpoints: [{ label: 'task queue', url: TASK_QUEUES.payments }],
    },
    ...Object.values(consumers).map((c): Component => ({
      name: c.name,
      ...node(c.name, c.entry, { PORT: String(c.port), HOST: host }),
      dependsOn: ['kafka', 'schema-registry', 'toxiproxy'],
      prepare: ensureOrderEvents,
      probe: { kind: 'http', url: readyUrl(c) },
      startTimeoutMs: 60_000,
      endpoints: [{ label: `group ${c.group}`, url: `http://${host}:${c.port}` }],
    })),
    {
      name: lagExporter.name,
      ...node(lagExporter.name, lagExporter.entry, {
        PORT: String(lagExporter.port),
        HOST: host,
        ...lagExporter.env,
      }),
      dependsOn: ['kafka', 'schema-registry'],
      prepare: ensureOrderEvents,
      probe: { kind: 'http', url: readyUrl(lagExporter) },
      endpoints: [{ label: 'lag /metrics', url: `http://${host}:${lagExporter.port}/metrics` }],
    },
  ];
}
