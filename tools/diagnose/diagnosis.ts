// One order's diagnosis: the Temporal history (the source of truth), the trace from Tempo and the
// Toxiproxy state, read in parallel where they do not depend on each other, then put together by a
// pure function so the same model feeds the text and the JSON renderers and the tests.
import type { Client } from '@temporalio/client';
import type { Endpoints } from './endpoints.ts';
import type { FailureInfo } from './failure-info.ts';
import { linksFor, type Links } from './links.ts';
import { STEP_SERVICES } from './step-services.ts';
import { fetchOrderHistory, pendingSteps, type PendingStep } from './temporal.ts';
import { findOrderTrace, type TraceLookup } from './tempo.ts';
import { buildTimeline, type OrderTimeline } from './timeline.ts';
import { evidenceFor, traceEvidence, type CallEvidence, type TraceEvidence } from './trace-evidence.ts';
import { isFaulty, listenPort, readProxies, type ProxiesLookup, type ProxyState } from './toxiproxy.ts';
import { verdictFor, type Verdict } from './verdict.ts';

export interface DownstreamError {
  readonly step: string;
  readonly type: string;
  readonly message: string;
  readonly service?: string;
  readonly status?: number;
  readonly code?: string;
  /** An /admin/faults fault, per the activity's failure details or the service's span. */
  readonly injectedFault: boolean;
  readonly injectedFaultKind?: string;
  /** From the trace: whether the last failing call reached the service at all. */
  readonly reachedServer?: boolean;
}

export interface ProxyOnPath extends ProxyState {
  /** How diagnose knows the failing step's calls go through it. */
  readonly evidence: 'trace' | 'failure' | 'step';
}

export interface NetworkFindings {
  readonly status: 'ok' | 'unavailable';
  readonly reason?: string;
  /** The proxies the failing step's calls go through, with what Toxiproxy does to them now. */
  readonly onPath: readonly ProxyOnPath[];
  /** Other proxies with toxics or disabled now. */
  readonly elsewhere: readonly ProxyState[];
}

export interface TraceFindings {
  readonly status: TraceLookup['status'];
  readonly reason?: string;
  /**
   * The order ended (or last moved) moments ago: each process exports its spans in batches, so some may
   * not be in Tempo yet, and "no span from the service" is not yet evidence.
   */
  readonly settling: boolean;
  readonly evidence?: TraceEvidence;
}

export interface Diagnosis {
  readonly schemaVersion: 1;
  readonly orderId: string;
  readonly generatedAt: string;
  readonly tookMs: number;
  readonly verdict: Verdict;
  readonly timeline: OrderTimeline;
  /** While the order runs: the activities retrying or waiting now. */
  readonly pending: readonly PendingStep[];
  readonly downstreamError?: DownstreamError;
  readonly network: NetworkFindings;
  readonly trace: TraceFindings;
  readonly links: Links;
}

/** How long after an order ends its spans may still be on their way to Tempo (batch export delays). */
const SPANS_SETTLE_MS = 15_000;

export async function diagnoseOrder(
  client: Client,
  endpoints: Endpoints,
  orderId: string,
): Promise<Diagnosis> {
  const started = Date.now();
  const proxies = readProxies(endpoints); // independent of everything else: start it first
  const timeline = buildTimeline(orderId, await fetchOrderHistory(client, endpoints, orderId));
  const [pending, trace] = await Promise.all([
    timeline.workflowStatus === 'running' ? pendingSteps(client, orderId).catch(() => []) : [],
    findOrderTrace(endpoints, orderId, {
      start: new Date(Date.parse(timeline.startedAt) - 60_000),
      end: new Date((timeline.closedAt ? Date.parse(timeline.closedAt) : Date.now()) + 120_000),
    }),
  ]);
  return assembleDiagnosis({
    timeline,
    pending,
    trace,
    proxies: await proxies,
    endpoints,
    now: new Date(),
    tookMs: Date.now() - started,
  });
}

export interface DiagnosisInput {
  readonly timeline: OrderTimeline;
  readonly pending: readonly PendingStep[];
  readonly trace: TraceLookup;
  readonly proxies: ProxiesLookup;
  readonly endpoints: Endpoints;
  readonly now: Date;
  readonly tookMs: number;
}

export function assembleDiagnosis(input: DiagnosisInput): Diagnosis {
  const { pending, trace, proxies, endpoints } = input;
  const timeline = withPending(input.timeline, pending);
  const evidence = trace.status === 'found' ? traceEvidence(trace.traceIds, trace.spans) : undefined;
  const failedStep = timeline.failedStep ?? pending.find((p) => p.lastFailure)?.step;
  const cause = timeline.cause ?? pending.find((p) => p.step === failedStep)?.lastFailure;
  const lastCall = failingCall(evidence, failedStep);
  const injected = evidence?.injectedFaults.find((f) => f.step === failedStep);
  const service = cause?.service ?? lastCall?.service ?? injected?.service;
  const network = networkFindings(proxies, failedStep, cause, evidence);
  const faultyOnPath = network.onPath.filter(isFaulty);
  return {
    schemaVersion: 1,
    orderId: timeline.orderId,
    generatedAt: input.now.toISOString(),
    tookMs: input.tookMs,
    verdict: verdictFor({
      timeline,
      cause,
      service,
      injectedFault: injected ?? (cause?.injectedFault && service ? { service, kind: 'error' } : undefined),
      // A decline or a drill is not the network's fault, even with a toxic somewhere on the path.
      faultyProxies: faultyOnPath,
      neverReachedServer: lastCall !== undefined && !lastCall.reachedServer,
      answerLost: lastCall !== undefined && lastCall.reachedServer && lastCall.statusCode === undefined,
      toxiproxyUrl: endpoints.toxiproxy,
    }),
    timeline,
    pending,
    ...(failedStep && cause
      ? {
          downstreamError: {
            step: failedStep,
            type: cause.type,
            message: cause.message,
            ...(service ? { service } : {}),
            ...((cause.status ?? lastCall?.statusCode) !== undefined
              ? { status: cause.status ?? lastCall?.statusCode }
              : {}),
            ...(cause.code ? { code: cause.code } : {}),
            injectedFault: cause.injectedFault || injected !== undefined,
            ...((injected?.kind ?? lastCall?.injectedFault)
              ? { injectedFaultKind: injected?.kind ?? lastCall?.injectedFault }
              : {}),
            ...(lastCall ? { reachedServer: lastCall.reachedServer } : {}),
          },
        }
      : {}),
    network,
    trace: {
      status: trace.status,
      settling:
        input.now.getTime() - Date.parse(timeline.closedAt ?? input.now.toISOString()) < SPANS_SETTLE_MS,
      ...(trace.status !== 'found' ? { reason: trace.reason } : {}),
      ...(evidence ? { evidence } : {}),
    },
    links: linksFor(endpoints, timeline.orderId, trace.status === 'found' ? trace.traceIds : []),
  };
}

/** A running order's history lags behind its retries: the pending activity knows the current attempt. */
function withPending(timeline: OrderTimeline, pending: readonly PendingStep[]): OrderTimeline {
  if (pending.length === 0) return timeline;
  return {
    ...timeline,
    runs: timeline.runs.map((r) => {
      const p = r.outcome === 'running' ? pending.find((x) => x.step === r.step) : undefined;
      return p
        ? { ...r, attempts: p.attempt, ...(p.lastFailure ? { previousAttemptFailure: p.lastFailure } : {}) }
        : r;
    }),
  };
}

/** The last call the failing step made that went wrong: the one that decided its fate. */
function failingCall(
  evidence: TraceEvidence | undefined,
  step: string | undefined,
): CallEvidence | undefined {
  const attempts = evidenceFor(evidence, step)?.attempts ?? [];
  return (
    attempts.at(-1)?.calls.findLast((c) => c.error) ??
    attempts.flatMap((a) => a.calls).findLast((c) => c.error)
  );
}

function networkFindings(
  lookup: ProxiesLookup,
  step: string | undefined,
  cause: FailureInfo | undefined,
  evidence: TraceEvidence | undefined,
): NetworkFindings {
  if (lookup.status !== 'ok')
    return { status: 'unavailable', reason: lookup.reason, onPath: [], elsewhere: [] };
  const onPath: ProxyOnPath[] = [];
  const add = (proxy: ProxyState | undefined, why: ProxyOnPath['evidence']) => {
    if (proxy && !onPath.some((p) => p.name === proxy.name)) onPath.push({ ...proxy, evidence: why });
  };
  const ports = new Set(
    (evidenceFor(evidence, step)?.attempts ?? []).flatMap((a) => a.calls.map((c) => c.serverPort)),
  );
  for (const p of lookup.proxies) if (ports.has(listenPort(p))) add(p, 'trace');
  if (cause?.service)
    add(
      lookup.proxies.find((p) => p.name === cause.service),
      'failure',
    );
  if (onPath.length === 0 && step)
    for (const name of STEP_SERVICES[step] ?? [])
      add(
        lookup.proxies.find((p) => p.name === name),
        'step',
      );
  return {
    status: 'ok',
    onPath,
    elsewhere: lookup.proxies.filter((p) => isFaulty(p) && !onPath.some((o) => o.name === p.name)),
  };
}
