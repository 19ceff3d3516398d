// The one-line answer and what to do next: which kind of failure this is, in the order an on-call
// engineer would rule things out (a drill, a network fault, a business decline, an outage).
import { FailureType, isBusinessDecline } from '../../contracts/failures.ts';
import type { FailureInfo } from './failure-info.ts';
import { servicePort } from './step-services.ts';
import type { OrderTimeline } from './timeline.ts';
import { describeToxic, type ProxyState } from './toxiproxy.ts';

export type VerdictCategory =
  | 'completed'
  | 'running'
  | 'injected-fault'
  | 'network-fault'
  | 'business-decline'
  | 'downstream-unavailable'
  | 'downstream-rejected'
  | 'timeout'
  | 'cancelled'
  | 'unknown';

export interface Verdict {
  readonly category: VerdictCategory;
  readonly headline: string;
  /** Compensations that did not complete: money or stock may be stuck, a human must look. */
  readonly failedCompensations: readonly string[];
  readonly next: readonly string[];
}

/** A service refused a request it should have taken: our bug or theirs, not the customer's. */
const REJECTED: ReadonlySet<string> = new Set([
  FailureType.downstreamRejected,
  FailureType.paymentRejected,
  FailureType.invalidDownstreamRequest,
]);

export interface VerdictInput {
  readonly timeline: OrderTimeline;
  readonly cause?: FailureInfo;
  /** The service the failing step was talking to, as far as anything tells. */
  readonly service?: string;
  readonly injectedFault?: { readonly service: string; readonly kind: string };
  /** Proxies on the failing step's path that have toxics or are disabled now. */
  readonly faultyProxies: readonly ProxyState[];
  /** The trace shows the failing call never reached the service. */
  readonly neverReachedServer: boolean;
  /** The trace shows the service answered but the caller never got the answer. */
  readonly answerLost?: boolean;
  readonly toxiproxyUrl: string;
}

export function verdictFor(input: VerdictInput): Verdict {
  const { timeline, cause, service } = input;
  const failedCompensations = timeline.runs
    .filter((r) => r.kind === 'compensation' && r.outcome !== 'completed' && r.outcome !== 'running')
    .map((r) => r.step);
  const next: string[] = [];
  if (failedCompensations.length > 0)
    next.push(
      `compensation ${failedCompensations.join(', ')} did not complete: check the ledger by hand (payment-gateway, ` +
        'inventory) and finish it; alerts/runbooks has the procedure',
    );
  const withCompensation = (headline: string): Verdict => ({
    category: categoryOf(input),
    headline: `${headline}${compensationClause(timeline, failedCompensations)}`,
    failedCompensations,
    next: [...next, ...nextSteps(input)],
  });

  if (timeline.outcome === 'completed')
    return { category: 'completed', headline: completedHeadline(timeline), failedCompensations, next };
  if (timeline.outcome === 'running' && !cause)
    return {
      category: 'running',
      headline: `still running (${timeline.runs.at(-1)?.step ?? 'not started'}); nothing has failed yet`,
      failedCompensations,
      next,
    };
  const step = timeline.failedStep ?? 'an unknown step';
  const attempts = timeline.runs.findLast((r) => r.step === timeline.failedStep)?.attempts ?? 0;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const what = cause ? `${cause.type}: ${cause.message}` : 'no failure recorded';
  const running = timeline.outcome === 'running' ? ' (still running: retrying or compensating)' : '';
  return withCompensation(`${step} failed${tries}${running}: ${what}${serviceClause(service, cause)}`);
}

/** The kind of failure, from its cause and what is known about the path (also used by `--since`). */
export const failureCategory = (
  input: Pick<VerdictInput, 'cause' | 'injectedFault' | 'faultyProxies'>,
): VerdictCategory => categoryOf(input);

function categoryOf(input: Pick<VerdictInput, 'cause' | 'injectedFault' | 'faultyProxies'>): VerdictCategory {
  const { cause } = input;
  if (input.injectedFault || cause?.injectedFault) return 'injected-fault';
  if (!cause) return 'unknown';
  if (REJECTED.has(cause.type)) return 'downstream-rejected';
  if (cause.type === 'Cancelled' || cause.type === FailureType.cancelled) return 'cancelled';
  // The catalogue's declines, and any other non-retryable failure with a stable type (besides the above).
  if (isBusinessDecline(cause.type) || (cause.nonRetryable && cause.type !== 'Terminated'))
    return 'business-decline';
  if (input.faultyProxies.length > 0) return 'network-fault';
  if (cause.type.startsWith('Timeout:')) return 'timeout';
  if (cause.type === FailureType.downstreamUnavailable) return 'downstream-unavailable';
  return 'unknown';
}

function nextSteps(input: VerdictInput): string[] {
  const service = input.injectedFault?.service ?? input.service;
  const port = service ? servicePort(service) : undefined;
  switch (categoryOf(input)) {
    case 'injected-fault':
      return [
        `a drill: ${service ?? 'the service'} injects faults (${input.injectedFault?.kind ?? 'error'}) through /admin/faults` +
          (port
            ? `; see: curl -s http://127.0.0.1:${port}/admin/faults ; clear: curl -X DELETE http://127.0.0.1:${port}/admin/faults`
            : ''),
      ];
    case 'network-fault':
      return input.faultyProxies.map((p) =>
        p.enabled
          ? `Toxiproxy: proxy ${p.name} has ${p.toxics.map(describeToxic).join('; ')}; remove: ` +
            p.toxics
              .map((t) => `curl -X DELETE ${input.toxiproxyUrl}/proxies/${p.name}/toxics/${t.name}`)
              .join(' ; ')
          : `Toxiproxy: proxy ${p.name} is disabled; enable: curl -X POST ${input.toxiproxyUrl}/proxies/${p.name} -d '{"enabled":true}'`,
      );
    case 'business-decline':
      return [
        'a business decline, not an outage: the saga did what it should. Only many of them at once are an incident: npm run diagnose -- --since 15m',
      ];
    case 'downstream-unavailable':
    case 'timeout':
      return [
        `${service ?? 'the downstream service'} did not answer usefully` +
          (input.neverReachedServer
            ? ' (the request never reached it: network, proxy or a dead process)'
            : '') +
          (input.answerLost
            ? ' (it answered, but the answer never came back: a slow or lossy network or proxy, or the caller gave up first)'
            : '') +
          `: npm run status ; npm run logs -- ${service ?? '<component>'}`,
      ];
    case 'downstream-rejected':
      return [
        `${service ?? 'the service'} rejected the request with a 4xx that is no known business decline: likely a contract bug between the activity and the service`,
      ];
    case 'cancelled':
      return [
        'someone cancelled the workflow (Temporal UI, CLI or API): see the history for the cancel request',
      ];
    default:
      return ['read the failing step in the Temporal UI (link below)'];
  }
}

function serviceClause(service: string | undefined, cause: FailureInfo | undefined): string {
  if (!service || cause?.message.startsWith(service)) return '';
  return ` (calling ${service})`;
}

function compensationClause(timeline: OrderTimeline, failed: readonly string[]): string {
  const compensations = timeline.runs.filter((r) => r.kind === 'compensation');
  if (compensations.length === 0) return '; nothing to compensate';
  if (failed.length > 0) return `; compensation FAILED: ${failed.join(', ')}`;
  const pending = compensations.filter((r) => r.outcome === 'running').map((r) => r.step);
  if (pending.length > 0) return `; compensating: ${pending.join(', ')} still running`;
  return `; compensated: ${compensations.map((r) => r.step).join(', ')} completed`;
}

function completedHeadline(timeline: OrderTimeline): string {
  const retried = timeline.runs.filter((r) => r.attempts > 1);
  const seconds = ((timeline.durationMs ?? 0) / 1000).toFixed(1);
  if (retried.length === 0) return `completed in ${seconds} s, every step on its first attempt`;
  return `completed in ${seconds} s after retries: ${retried.map((r) => `${r.step} (${r.attempts} attempts)`).join(', ')}`;
}
