// The stack's fixed default ports, each overridable by its environment variable. Defaults are each
// tool's own standard port, so documentation and muscle memory carry over.
import { envPort } from './config.ts';
export interface PortSpec {
  readonly env: string;
  readonly default: number;
  readonly doc: string;
}

export const portSpecs = {
  temporal: { env: 'TEMPORAL_PORT', default: 7233, doc: 'Temporal frontend gRPC' },
  temporalUi: { env: 'TEMPORAL_UI_PORT', default: 8233, doc: 'Temporal web UI' },
  temporalMetrics: { env: 'TEMPORAL_METRICS_PORT', default: 7235, doc: 'Temporal server /metrics' },
  kafka: { env: 'KAFKA_PORT', default: 9092, doc: 'Kafka broker, direct listener' },
  kafkaProxied: {
    env: 'KAFKA_PROXIED_PORT',
    default: 19092,
    doc: 'Kafka through Toxiproxy (clients under chaos)',
  },
  kafkaChaosListener: {
    env: 'KAFKA_CHAOS_LISTENER_PORT',
    default: 9094,
    doc: 'broker listener behind the Toxiproxy proxy',
  },
  kafkaController: { env: 'KAFKA_CONTROLLER_PORT', default: 29093, doc: 'KRaft controller listener' },
  kafkaMetrics: { env: 'KAFKA_METRICS_PORT', default: 7071, doc: 'Kafka JMX exporter /metrics' },
  schemaRegistry: {
    env: 'SCHEMA_REGISTRY_PORT',
    default: 8081,
    doc: 'schema registry (Karapace, Confluent API)',
  },
  prometheus: { env: 'PROMETHEUS_PORT', default: 9090, doc: 'Prometheus' },
  alertmanager: { env: 'ALERTMANAGER_PORT', default: 9093, doc: 'Alertmanager' },
  tempoHttp: { env: 'TEMPO_HTTP_PORT', default: 3200, doc: 'Tempo HTTP (query, TraceQL)' },
  tempoGrpc: { env: 'TEMPO_GRPC_PORT', default: 9095, doc: 'Tempo internal gRPC' },
  otlpGrpc: { env: 'OTLP_GRPC_PORT', default: 4317, doc: 'OTLP gRPC (into Tempo)' },
  otlpHttp: { env: 'OTLP_HTTP_PORT', default: 4318, doc: 'OTLP HTTP (into Tempo)' },
  toxiproxy: { env: 'TOXIPROXY_PORT', default: 8474, doc: 'Toxiproxy API' },
  alertReceiver: {
    env: 'ALERT_RECEIVER_PORT',
    default: 9097,
    doc: 'alert receiver: PagerDuty and Slack stand-in',
  },
  legacyOrderService: {
    env: 'LEGACY_ORDER_SERVICE_PORT',
    default: 8090,
    doc: 'legacy-order-service: the ADR-0031 synchronous pipeline (migration baseline)',
  },
  orderRouter: {
    env: 'ORDER_ROUTER_PORT',
    default: 8095,
    doc: 'order-router: the canary router in front of both pipelines',
  },
  orderShadow: {
    env: 'ORDER_SHADOW_PORT',
    default: 8096,
    doc: 'order-shadow: the Temporal pipeline in shadow mode, decide-only (ADR-0047 phase 1)',
  },
} as const satisfies Record<string, PortSpec>;

export type PortName = keyof typeof portSpecs;

const readPort = (spec: PortSpec): number => envPort(spec.env, spec.default);

export const ports: Readonly<Record<PortName, number>> = Object.freeze(
  Object.fromEntries(Object.entries(portSpecs).map(([name, spec]) => [name, readPort(spec)])) as Record<
    PortName,
    number
  >,
);

/** Everything in the stack binds to loopback only. */
export const host = '127.0.0.1';
