// The OpenTelemetry SDK of one orderflow process: sdk-node with the auto-instrumentations that matter here,
// OTLP/HTTP export (to Tempo locally, to the Collector in docker-compose), and OrderSpanProcessor in front of
// the batch processor so every span carries `order.id`. Configured by the standard OTEL_* variables.
//
// Workers hand the same resource and span processor to Temporal's OpenTelemetryPlugin, whose workflow spans
// arrive through a sink and must take the same way out.
import { type IncomingMessage } from 'node:http';
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
  type Resource,
} from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { OrderSpanProcessor } from './order-span-processor.ts';

export interface TracingPipeline {
  readonly resource: Resource;
  readonly spanProcessor: SpanProcessor;
  shutdown(): Promise<void>;
}

/** Probes and scrapes are not part of any order; tracing them would bury the orders in noise. */
const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/readyz', '/v1/traces']);
const untracedRequest = (req: IncomingMessage): boolean =>
  UNTRACED_PATHS.has((req.url ?? '').split('?')[0] ?? '') || (req.url ?? '').startsWith('/admin/');

/** Where an activity's order is known when the baggage is empty: set by the workers (Temporal context). */
let orderIdFallback: () => string | undefined = () => undefined;
export const setOrderIdFallback = (fn: () => string | undefined): void => {
  orderIdFallback = fn;
};

let pipeline: TracingPipeline | undefined;

/** The running pipeline, if this process was started with the tracing bootstrap. */
export const tracingPipeline = (): TracingPipeline | undefined => pipeline;

export function startTracing(defaultServiceName: string): TracingPipeline | undefined {
  if (pipeline) return pipeline;
  if (process.env.OTEL_SDK_DISABLED === 'true') return undefined;
  if (process.env.OTEL_LOG_LEVEL === 'debug') diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.DEBUG);

  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: defaultServiceName }))
    .merge(detectResources({ detectors: [envDetector, processDetector, hostDetector] }));
  // The exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT; the local default is Tempo's OTLP/HTTP port.
  const exporter = new OTLPTraceExporter();
  const spanProcessor = new OrderSpanProcessor(new BatchSpanProcessor(exporter), () => orderIdFallback());

  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    spanProcessors: [spanProcessor],
    // Traces only: metrics are prom-client's (OpenMetrics with exemplars), logs are JSON on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      getNodeAutoInstrumentations({
        '@opentelemetry/instrumentation-http': {
          ignoreIncomingRequestHook: untracedRequest,
          // The OTLP export itself must not be traced.
          ignoreOutgoingRequestHook: (req) => req.path === '/v1/traces',
        },
        '@opentelemetry/instrumentation-undici': {},
        '@opentelemetry/instrumentation-kafkajs': {},
        '@opentelemetry/instrumentation-pg': {},
        // Temporal's own interceptors trace the client calls; its gRPC polling is noise.
        '@opentelemetry/instrumentation-grpc': { enabled: false },
        // Our pino mixin writes trace_id/span_id already.
        '@opentelemetry/instrumentation-pino': { enabled: false },
        '@opentelemetry/instrumentation-fs': { enabled: false },
        '@opentelemetry/instrumentation-dns': { enabled: false },
        '@opentelemetry/instrumentation-net': { enabled: false },
        '@opentelemetry/instrumentation-runtime-node': { enabled: false },
        '@opentelemetry/instrumentation-host-metrics': { enabled: false },
      }),
    ],
  });
  sdk.start();
  pipeline = { resource, spanProcessor, shutdown: () => sdk.shutdown() };
  return pipeline;
}
