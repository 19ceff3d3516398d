// The OpenTelemetry SDK of one orderflow process: a Node tracer provider with the four instrumentations that
// matter here, OTLP/HTTP export (to Tempo locally, to the Collector in docker-compose), and OrderSpanProcessor
// in front of the batch processor so every span carries `order.id`. Configured by the standard OTEL_*
// variables.
//
// Workers hand the same resource and span processor to Temporal's OpenTelemetryPlugin, whose workflow spans
// arrive through a sink and must take the same way out.
import { type IncomingMessage } from 'node:http';
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
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
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
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

  // A tracer provider, not sdk-node's NodeSDK: that one also loads every metrics, logs and trace exporter
  // it could be configured with (~0.2 s of CPU per process at start); this process exports traces only
  // (metrics are prom-client's, with exemplars; logs are JSON on stdout). register() installs the
  // AsyncLocalStorage context manager and the W3C trace-context and baggage propagators; the sampler
  // still follows OTEL_TRACES_SAMPLER.
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    // Only what an order passes through: HTTP in and out (node:http, fetch), Kafka, PostgreSQL. Temporal's
    // own interceptors trace its client and workers (its gRPC polling would be noise). Not the
    // auto-instrumentations bundle: it loads ~40 packages into every process to patch libraries this
    // project does not use.
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: untracedRequest,
        // The OTLP export itself must not be traced.
        ignoreOutgoingRequestHook: (req) => req.path === '/v1/traces',
      }),
      new UndiciInstrumentation(),
      new KafkaJsInstrumentation(),
      new PgInstrumentation(),
    ],
  });
  pipeline = { resource, spanProcessor, shutdown: () => provider.shutdown() };
  return pipeline;
}
