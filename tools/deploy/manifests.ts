// orderflow's Kubernetes manifests as data, built from the single sources: the process registries
// (consumers/registry.ts, platform/downstream.ts, the workers' metrics ports), the task queues
// (contracts/order/definitions.ts) and the alert rules (alerts/rules/orderflow.rules.yml, rendered as a
// PrometheusRule). tools/deploy/render.ts writes them into deploy/kubernetes/; a test checks the committed
// files equal this output and validates every object against the Kubernetes, prometheus-operator and KEDA
// schemas (npm packages kubernetes-models, @kubernetes-models/*).
//
// Layout (kustomize):
//   base/        namespace, config, order-api, the three workers (KEDA on task-queue backlog), consumers,
//                the lag exporter: what production applies
//   monitoring/  PrometheusRule + PodMonitors (kube-prometheus-stack)
//   demo/        base + the eight simulated downstream services (a demo or staging cluster only)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { consumers, lagExporter } from '../../consumers/registry.ts';
import { TASK_QUEUES } from '../../contracts/order/definitions.ts';
import { downstream } from '../../platform/downstream.ts';
import { repoRoot } from '../../platform/paths.ts';
import { WORKER_METRICS_PORTS, type WorkerName } from '../../workflows/workers/config.ts';

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string } & Record<string, unknown>;
} & Record<string, unknown>;

/** A file of deploy/kubernetes/: a YAML stream of objects, or a kustomization. */
export interface ManifestFile {
  readonly path: string;
  readonly objects: readonly K8sObject[];
  readonly comment: string;
}

export const K8S_NAMESPACE = 'orderflow';
export const TEMPORAL_NAMESPACE = 'orders-production';
/** Replaced per environment with `kustomize edit set image orderflow=<registry>/orderflow:<tag>`. */
export const IMAGE = 'orderflow:0.1.0';
const PART_OF = 'orderflow';

const labels = (name: string, component: string) => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/part-of': PART_OF,
});
const selector = (name: string) => ({ 'app.kubernetes.io/name': name });
const meta = (name: string, component: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: K8S_NAMESPACE,
  labels: labels(name, component),
  ...extra,
});

/** Mounted Secrets (never values here: the checklist in deploy/README.md says how to create them). */
const SECRET_DIR = '/var/run/secrets/orderflow';
const secretVolume = (secret: string) => ({
  name: secret,
  secret: { secretName: secret, defaultMode: 0o440 },
});
const secretMount = (secret: string) => ({
  name: secret,
  mountPath: `${SECRET_DIR}/${secret}`,
  readOnly: true,
});

/** Every process: Temporal and Kafka security from files of mounted Secrets (platform/temporal.ts, events/security.ts). */
const temporalEnv = [{ name: 'TEMPORAL_API_KEY_FILE', value: `${SECRET_DIR}/orderflow-temporal/api-key` }];
const kafkaEnv = [
  {
    name: 'KAFKA_SASL_USERNAME',
    valueFrom: { secretKeyRef: { name: 'orderflow-kafka', key: 'username' } },
  },
  { name: 'KAFKA_SASL_PASSWORD_FILE', value: `${SECRET_DIR}/orderflow-kafka/password` },
  {
    name: 'SCHEMA_REGISTRY_USERNAME',
    valueFrom: { secretKeyRef: { name: 'orderflow-schema-registry', key: 'username' } },
  },
  { name: 'SCHEMA_REGISTRY_PASSWORD_FILE', value: `${SECRET_DIR}/orderflow-schema-registry/password` },
];

interface ProcessSpec {
  readonly name: string;
  readonly component: 'api' | 'worker' | 'consumer' | 'exporter' | 'demo-service';
  readonly entry: string;
  readonly port: number;
  readonly portName: string;
  readonly extraPorts?: readonly { name: string; containerPort: number }[];
  readonly health: 'http' | 'metrics';
  readonly cpu: [request: string, limit: string];
  readonly memory: [request: string, limit: string];
  readonly env: readonly Record<string, unknown>[];
  readonly secrets: readonly string[];
  readonly graceSeconds: number;
  readonly stateVolume?: 'emptyDir' | 'pvc';
}

function container(p: ProcessSpec): Record<string, unknown> {
  const probePath = (path: string) => ({ httpGet: { path, port: p.portName } });
  const health =
    p.health === 'http'
      ? {
          startupProbe: { ...probePath('/healthz'), periodSeconds: 2, failureThreshold: 60 },
          livenessProbe: {
            ...probePath('/healthz'),
            periodSeconds: 10,
            timeoutSeconds: 2,
            failureThreshold: 3,
          },
          readinessProbe: {
            ...probePath('/readyz'),
            periodSeconds: 5,
            timeoutSeconds: 3,
            failureThreshold: 2,
          },
        }
      : {
          // Workers have no /readyz (they take no traffic); their /metrics answers while the process runs.
          startupProbe: { ...probePath('/metrics'), periodSeconds: 2, failureThreshold: 90 },
          livenessProbe: {
            ...probePath('/metrics'),
            periodSeconds: 15,
            timeoutSeconds: 3,
            failureThreshold: 3,
          },
          readinessProbe: { ...probePath('/metrics'), periodSeconds: 10, timeoutSeconds: 3 },
        };
  return {
    name: p.name,
    image: IMAGE,
    imagePullPolicy: 'IfNotPresent',
    args: [p.entry],
    ports: [{ name: p.portName, containerPort: p.port }, ...(p.extraPorts ?? [])],
    env: [
      { name: 'OTEL_SERVICE_NAME', value: p.name },
      { name: 'HOST', value: '0.0.0.0' },
      { name: 'METRICS_HOST', value: '0.0.0.0' },
      { name: 'ORDERFLOW_STATE_DIR', value: '/var/lib/orderflow' },
      ...p.env,
    ],
    envFrom: [
      { configMapRef: { name: 'orderflow-config' } },
      // Downstream URLs: the real systems in production; the demo overlay points them at the simulated services.
      { configMapRef: { name: 'orderflow-downstream', optional: true } },
    ],
    resources: {
      requests: { cpu: p.cpu[0], memory: p.memory[0] },
      limits: { cpu: p.cpu[1], memory: p.memory[1] },
    },
    ...health,
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'state', mountPath: '/var/lib/orderflow' },
      { name: 'tmp', mountPath: '/tmp' },
      ...p.secrets.map(secretMount),
    ],
  };
}

function podSpec(p: ProcessSpec): Record<string, unknown> {
  return {
    terminationGracePeriodSeconds: p.graceSeconds,
    securityContext: {
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: selector(p.name) },
      },
    ],
    containers: [container(p)],
    volumes: [
      ...(p.stateVolume === 'pvc' ? [] : [{ name: 'state', emptyDir: {} }]),
      { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      ...p.secrets.map(secretVolume),
    ],
  };
}

const deployment = (p: ProcessSpec, replicas: number): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta(p.name, p.component),
  spec: {
    replicas,
    revisionHistoryLimit: 5,
    selector: { matchLabels: selector(p.name) },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    template: { metadata: { labels: labels(p.name, p.component) }, spec: podSpec(p) },
  },
});

const service = (p: ProcessSpec, headless = false): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta(p.name, p.component),
  spec: {
    ...(headless ? { clusterIP: 'None' } : {}),
    selector: selector(p.name),
    ports: [{ name: p.portName, port: p.port, targetPort: p.portName }],
  },
});

const pdb = (p: ProcessSpec, budget: { minAvailable: number } | { maxUnavailable: number }): K8sObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: meta(p.name, p.component),
  spec: { ...budget, selector: { matchLabels: selector(p.name) } },
});

// ---------------------------------------------------------------------------------------------------------

const orderApi: ProcessSpec = {
  name: 'order-api',
  component: 'api',
  entry: 'services/order-api/main.ts',
  port: 8080,
  portName: 'http',
  health: 'http',
  cpu: ['250m', '1'],
  memory: ['256Mi', '512Mi'],
  env: [
    ...temporalEnv,
    { name: 'PORT', value: '8080' },
    { name: 'ORDERS_DB', valueFrom: { secretKeyRef: { name: 'orderflow-orders-db', key: 'url' } } },
  ],
  secrets: ['orderflow-temporal'],
  // In-flight requests finish (the service shell closes on SIGTERM); readiness drops first.
  graceSeconds: 30,
};

interface WorkerSpec {
  readonly name: WorkerName;
  readonly taskQueue: string;
  readonly entry: string;
  readonly replicas: [min: number, max: number];
  /** Backlog per replica that KEDA aims for. */
  readonly backlogPerReplica: number;
  readonly graceSeconds: number;
  readonly cpu: [string, string];
  readonly memory: [string, string];
  readonly env: readonly Record<string, unknown>[];
  readonly secrets: readonly string[];
}

const workers: readonly WorkerSpec[] = [
  {
    name: 'order-worker',
    taskQueue: TASK_QUEUES.orders,
    entry: 'workflows/workers/order-worker.ts',
    replicas: [2, 10],
    backlogPerReplica: 100,
    // Longest light activity: CreateShipment 15 s start-to-close; workflow tasks are short.
    graceSeconds: 45,
    cpu: ['500m', '2'],
    memory: ['512Mi', '1Gi'],
    env: [
      ...temporalEnv,
      ...kafkaEnv,
      { name: 'ORDERS_DB', valueFrom: { secretKeyRef: { name: 'orderflow-orders-db', key: 'url' } } },
    ],
    secrets: ['orderflow-temporal', 'orderflow-kafka', 'orderflow-schema-registry'],
  },
  {
    name: 'fraud-worker',
    taskQueue: TASK_QUEUES.fraud,
    entry: 'workflows/workers/fraud-worker.ts',
    replicas: [2, 20],
    backlogPerReplica: 20,
    // RunFraudCheck: 30 s start-to-close.
    graceSeconds: 45,
    cpu: ['250m', '1'],
    memory: ['256Mi', '512Mi'],
    env: [...temporalEnv],
    secrets: ['orderflow-temporal'],
  },
  {
    name: 'payment-worker',
    taskQueue: TASK_QUEUES.payments,
    entry: 'workflows/workers/payment-worker.ts',
    replicas: [2, 10],
    backlogPerReplica: 20,
    // ProcessPayment: 30 s start-to-close; a payment in flight is never cut short by a rollout.
    graceSeconds: 60,
    cpu: ['250m', '1'],
    memory: ['256Mi', '512Mi'],
    env: [
      ...temporalEnv,
      { name: 'STRIPE_API_KEY', valueFrom: { secretKeyRef: { name: 'orderflow-stripe', key: 'api-key' } } },
    ],
    secrets: ['orderflow-temporal'],
  },
];

function workerObjects(w: WorkerSpec): K8sObject[] {
  const ports = WORKER_METRICS_PORTS[w.name];
  const env = w.name.toUpperCase().replaceAll('-', '_');
  const p: ProcessSpec = {
    name: w.name,
    component: 'worker',
    entry: w.entry,
    port: ports.metrics,
    portName: 'metrics',
    extraPorts: [{ name: 'sdk-metrics', containerPort: ports.sdk }],
    health: 'metrics',
    cpu: w.cpu,
    memory: w.memory,
    env: [
      { name: `${env}_METRICS_PORT`, value: String(ports.metrics) },
      { name: `${env}_SDK_METRICS_PORT`, value: String(ports.sdk) },
      ...w.env,
    ],
    secrets: w.secrets,
    graceSeconds: w.graceSeconds,
  };
  return [
    deployment(p, w.replicas[0]),
    pdb(p, { minAvailable: 1 }),
    {
      // KEDA's Temporal scaler: replicas follow the task queue's backlog (approximate backlog count).
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: meta(w.name, 'worker'),
      spec: {
        scaleTargetRef: { name: w.name },
        minReplicaCount: w.replicas[0],
        maxReplicaCount: w.replicas[1],
        pollingInterval: 15,
        cooldownPeriod: 300,
        advanced: {
          horizontalPodAutoscalerConfig: {
            behavior: {
              scaleDown: {
                stabilizationWindowSeconds: 300,
                policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
              },
            },
          },
        },
        triggers: [
          {
            type: 'temporal',
            metadata: {
              // Read from the worker container's env (orderflow-config), like the workers themselves.
              endpointFromEnv: 'TEMPORAL_ADDRESS',
              namespace: TEMPORAL_NAMESPACE,
              taskQueue: w.taskQueue,
              targetQueueSize: String(w.backlogPerReplica),
              activationTargetQueueSize: '0',
              queueTypes: w.name === 'order-worker' ? 'workflow,activity' : 'activity',
            },
            authenticationRef: { name: 'orderflow-temporal' },
          },
          {
            // A floor for CPU-bound bursts the backlog does not show yet.
            type: 'cpu',
            metricType: 'Utilization',
            metadata: { value: '75' },
          },
        ],
      },
    },
  ];
}

const triggerAuthentication: K8sObject = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'TriggerAuthentication',
  metadata: meta('orderflow-temporal', 'worker'),
  spec: { secretTargetRef: [{ parameter: 'apiKey', name: 'orderflow-temporal', key: 'api-key' }] },
};

const consumerSpec = (
  c: { name: string; port: number; entry: string; env?: Readonly<Record<string, string>> },
  component: 'consumer' | 'exporter',
): ProcessSpec => ({
  name: c.name,
  component,
  entry: c.entry,
  port: c.port,
  portName: 'http',
  health: 'http',
  cpu: ['100m', '500m'],
  memory: ['192Mi', '384Mi'],
  env: [
    ...kafkaEnv,
    { name: 'PORT', value: String(c.port) },
    ...(component === 'consumer' ? [{ name: 'DATA_DIR', value: '/var/lib/orderflow/consumers' }] : []),
    ...Object.entries(c.env ?? {}).map(([name, value]) => ({ name, value })),
  ],
  secrets: ['orderflow-kafka', 'orderflow-schema-registry'],
  // kafkajs leaves the group on SIGTERM (a clean rebalance) and the current event's transaction commits.
  graceSeconds: 30,
  ...(component === 'consumer' ? { stateVolume: 'pvc' as const } : {}),
});

function consumerObjects(c: (typeof consumers)[keyof typeof consumers]): K8sObject[] {
  const p = consumerSpec(c, 'consumer');
  return [
    {
      // One replica with its own volume: the consumer's idempotency store is its SQLite file, so the group
      // scales by partitions only if the store moves to a shared database (deploy/README.md, Scaling).
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta(c.name, 'consumer'),
      spec: {
        serviceName: c.name,
        replicas: 1,
        selector: { matchLabels: selector(c.name) },
        template: { metadata: { labels: labels(c.name, 'consumer') }, spec: podSpec(p) },
        volumeClaimTemplates: [
          {
            metadata: { name: 'state' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      },
    },
    service(p, true),
    pdb(p, { maxUnavailable: 1 }),
  ];
}

const config: K8sObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: meta('orderflow-config', 'config'),
  data: {
    // Temporal Cloud (API key in the orderflow-temporal Secret); see deploy/README.md for mTLS or self-hosted.
    TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233',
    TEMPORAL_NAMESPACE: TEMPORAL_NAMESPACE,
    // Managed Kafka: SASL_SSL with SCRAM-SHA-512 (credentials in the orderflow-kafka Secret).
    KAFKA_BROKERS: 'kafka-bootstrap.kafka.svc:9093',
    KAFKA_ADMIN_BROKERS: 'kafka-bootstrap.kafka.svc:9093',
    KAFKA_TLS: 'true',
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    SCHEMA_REGISTRY_URL: 'https://schema-registry.kafka.svc:8081',
    REVIEW_TIMEOUT_SECONDS: '86400',
    // Empty: api.stripe.com. The demo overlay's orderflow-downstream (read after this) points it at the gateway.
    STRIPE_API_BASE: '',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability.svc:4318',
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
  },
};

const namespace: K8sObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: K8S_NAMESPACE,
    labels: { 'app.kubernetes.io/part-of': PART_OF, 'pod-security.kubernetes.io/enforce': 'restricted' },
  },
};

// ---------------------------------------------------------------------------------------------------------
// Monitoring: the alert rules from their single source, and the scrape targets.

export const RULES_SOURCE = join('alerts', 'rules', 'orderflow.rules.yml');

function prometheusRule(): K8sObject {
  const rules = load(readFileSync(join(repoRoot, RULES_SOURCE), 'utf8')) as { groups: unknown[] };
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'orderflow',
      namespace: K8S_NAMESPACE,
      // kube-prometheus-stack's default ruleSelector matches its release label.
      labels: { ...labels('orderflow', 'alerts'), release: 'kube-prometheus-stack' },
    },
    spec: { groups: rules.groups },
  };
}

/** `job` = the process name, as the rules select it (job="order-api", job=~"order-worker|…"). */
const jobRelabel = [
  {
    sourceLabels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'],
    targetLabel: 'job',
    action: 'replace',
  },
];

function podMonitor(name: string, component: string, ports: readonly string[]): K8sObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: {
      ...meta(`orderflow-${name}`, 'monitoring'),
      labels: { ...labels(`orderflow-${name}`, 'monitoring'), release: 'kube-prometheus-stack' },
    },
    spec: {
      selector: {
        matchLabels: { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/component': component },
      },
      podMetricsEndpoints: ports.map((port) => ({
        port,
        path: '/metrics',
        interval: '15s',
        relabelings: jobRelabel,
      })),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Demo overlay: the simulated downstream services, and the URLs that point the workers at them.

function demoObjects(): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const s of Object.values(downstream)) {
    const p: ProcessSpec = {
      name: s.name,
      component: 'demo-service',
      entry: `services/${s.name}/main.ts`,
      port: s.port,
      portName: 'http',
      health: 'http',
      cpu: ['50m', '500m'],
      memory: ['128Mi', '256Mi'],
      env: [{ name: 'PORT', value: String(s.port) }],
      secrets: [],
      graceSeconds: 15,
    };
    objects.push(deployment(p, 1), service(p));
  }
  const urls = Object.fromEntries(
    Object.values(downstream).map((s) => [
      `${s.name.toUpperCase().replaceAll('-', '_')}_URL`,
      `http://${s.name}:${s.port}`,
    ]),
  );
  objects.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('orderflow-downstream', 'config'),
    data: { ...urls, STRIPE_API_BASE: `http://payment-gateway:${downstream.payment.port}` },
  });
  return objects;
}

const kustomization = (resources: readonly string[], extra: Record<string, unknown> = {}): K8sObject => ({
  apiVersion: 'kustomize.config.k8s.io/v1beta1',
  kind: 'Kustomization',
  metadata: { name: 'orderflow' },
  resources: [...resources],
  ...extra,
});

export function renderManifests(): ManifestFile[] {
  const api = orderApi;
  const files: ManifestFile[] = [
    {
      path: 'base/namespace.yaml',
      comment: 'The namespace orderflow runs in (Pod Security: restricted).',
      objects: [namespace],
    },
    {
      path: 'base/config.yaml',
      comment: 'Non-secret settings shared by every process. Secrets: deploy/README.md, step 3.',
      objects: [config],
    },
    {
      path: 'base/order-api.yaml',
      comment:
        'order-api: accepts orders, status, review decisions. Scales on CPU; readyz is 503 while Temporal is unreachable.',
      objects: [
        deployment(api, 2),
        service(api),
        pdb(api, { minAvailable: 1 }),
        {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: meta(api.name, api.component),
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: api.name },
            minReplicas: 2,
            maxReplicas: 8,
            metrics: [
              {
                type: 'Resource',
                resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
              },
            ],
          },
        },
      ],
    },
    ...workers.map((w) => ({
      path: `base/${w.name}.yaml`,
      comment: `${w.name}: task queue ${w.taskQueue}. Replicas ${w.replicas[0]}..${w.replicas[1]}, scaled by KEDA on the task queue's backlog.`,
      objects: workerObjects(w),
    })),
    {
      path: 'base/keda-temporal-auth.yaml',
      comment: "KEDA's credentials for the Temporal scaler: the same API key Secret the workers read.",
      objects: [triggerAuthentication],
    },
    ...Object.values(consumers).map((c) => ({
      path: `base/${c.name}.yaml`,
      comment: `${c.name}: consumer group ${c.group}, subscribes ${c.subscribes.join(', ')}.`,
      objects: consumerObjects(c),
    })),
    {
      path: `base/${lagExporter.name}.yaml`,
      comment: 'Consumer lag per group, measured from outside the consumers (kafka_consumergroup_lag_*).',
      objects: (() => {
        const p = consumerSpec(lagExporter, 'exporter');
        return [deployment(p, 1), service(p), pdb(p, { maxUnavailable: 1 })];
      })(),
    },
  ];
  const baseResources = files.map((f) => f.path.replace(/^base\//, ''));
  files.push({
    path: 'base/kustomization.yaml',
    comment: 'Production: `kubectl apply -k deploy/kubernetes/base` (image: `kustomize edit set image`).',
    objects: [
      kustomization(baseResources, {
        images: [{ name: 'orderflow', newName: 'orderflow', newTag: '0.1.0' }],
      }),
    ],
  });
  files.push(
    {
      path: 'monitoring/prometheus-rule.yaml',
      comment: `Rendered from ${RULES_SOURCE} (the single source) by tools/deploy/render.ts: do not edit.`,
      objects: [prometheusRule()],
    },
    {
      path: 'monitoring/pod-monitors.yaml',
      comment:
        "Scrape targets: each process /metrics (and the workers' SDK metrics), job = the process name.",
      objects: [
        podMonitor('api', 'api', ['http']),
        podMonitor('workers', 'worker', ['metrics', 'sdk-metrics']),
        podMonitor('consumers', 'consumer', ['http']),
        podMonitor('exporter', 'exporter', ['http']),
      ],
    },
    {
      path: 'monitoring/kustomization.yaml',
      comment: 'kube-prometheus-stack objects: `kubectl apply -k deploy/kubernetes/monitoring`.',
      objects: [kustomization(['prometheus-rule.yaml', 'pod-monitors.yaml'])],
    },
    {
      path: 'demo/simulated-services.yaml',
      comment:
        'The eight simulated downstream services and the URLs that point the workers at them. Demo clusters only.',
      objects: demoObjects(),
    },
    {
      path: 'demo/kustomization.yaml',
      comment:
        'A demo or staging cluster: base + the simulated services (`kubectl apply -k deploy/kubernetes/demo`).',
      objects: [kustomization(['../base', 'simulated-services.yaml'])],
    },
  );
  return files;
}
