// The diagnosis for a person at 3 a.m.: the answer first, then the evidence, then the timeline, then
// what to do and where to click. Plain text, no colours (it ends up in tickets and chat).
import type { Diagnosis, ProxyOnPath } from './diagnosis.ts';
import type { FailureInfo } from './failure-info.ts';
import type { StepRun } from './timeline.ts';
import type { AttemptEvidence, CallEvidence } from './trace-evidence.ts';
import { describeToxic, type ProxyState } from './toxiproxy.ts';

export function renderDiagnosis(d: Diagnosis): string {
  const t = d.timeline;
  const out: string[] = [];
  out.push(`ORDER ${d.orderId}  ${t.outcome.toUpperCase().replaceAll('_', ' ')}`);
  out.push(`  ${d.verdict.headline}`);
  const when = [
    t.customerId ? `customer ${t.customerId}` : undefined,
    `started ${t.startedAt.replace('T', ' ')}`,
    t.closedAt ? `ended ${clock(t.closedAt)} (${duration(t.durationMs)})` : 'still running',
  ];
  out.push(`  ${when.filter(Boolean).join(' · ')}`);

  if (d.downstreamError) {
    const e = d.downstreamError;
    out.push('', 'FAILING STEP');
    out.push(row('step', e.step));
    out.push(row('error', `${e.type}${d.timeline.cause?.nonRetryable ? ' (non-retryable)' : ''}`));
    out.push(row('message', e.message));
    const http = [
      e.service ?? 'not named',
      e.status !== undefined ? `HTTP ${e.status}` : '',
      e.code ? `code ${e.code}` : '',
    ];
    out.push(row('downstream', http.filter(Boolean).join('  ')));
    if (e.reachedServer !== undefined)
      out.push(
        row(
          'reached it',
          e.reachedServer
            ? `yes: ${e.service ?? 'the service'} answered (trace)`
            : d.trace.settling
              ? 'not yet seen: no status and no span from the service so far (the trace is still arriving)'
              : 'no: no status and no span from the service; the request died on the way (trace)',
        ),
      );
    out.push(
      row(
        'injected',
        e.injectedFault
          ? `YES: an /admin/faults fault (${e.injectedFaultKind ?? 'error'}) on ${e.service ?? 'the service'}`
          : 'no /admin/faults fault on the path',
      ),
    );
    out.push(...networkLines(d));
  } else if (d.network.elsewhere.length > 0) {
    out.push('', 'NETWORK NOW', ...d.network.elsewhere.map((p) => `  ${proxyLine(p)}`));
  }

  out.push(
    '',
    `${`TIMELINE (UTC ${t.startedAt.slice(0, 10)})`.padEnd(44)}${'attempts'.padStart(8)}  ${'took'.padEnd(9)}  result`,
  );
  let inCompensation = false;
  for (const run of t.runs) {
    if (run.kind === 'compensation' && !inCompensation) {
      out.push('  -- compensations, in reverse order --');
      inCompensation = true;
    }
    out.push(stepLine(run, d.generatedAt));
    const attempts = d.trace.evidence?.steps.find((s) => s.step === run.step)?.attempts ?? [];
    const failedHere = run.outcome !== 'completed' || run.attempts > 1;
    if (failedHere && attempts.length > 0)
      out.push(...attempts.map((a) => attemptLine(a, run.failure, d.trace.settling)));
    else if (run.previousAttemptFailure && run.attempts > 1)
      out.push(
        `${' '.repeat(16)}attempt ${run.attempts - 1} failed: ${failureText(run.previousAttemptFailure)}`,
      );
  }
  for (const p of d.pending)
    if (p.lastFailure)
      out.push(`  now: ${p.step} on attempt ${p.attempt}, last failure: ${failureText(p.lastFailure)}`);

  out.push('', 'TRACE');
  const ev = d.trace.evidence;
  if (ev)
    out.push(
      `  ${ev.traceIds.length} trace(s), ${ev.spanCount} spans, ${ev.errorSpanCount} with errors; services: ${ev.services.join(', ')}`,
    );
  else if (d.trace.status === 'not_found')
    out.push(`  trace not found in Tempo (yet): ${d.trace.reason ?? ''}`);
  else out.push(`  Tempo unavailable: ${d.trace.reason ?? ''}; the timeline above is from Temporal alone`);
  if (ev && d.trace.settling)
    out.push(
      '  the order ended seconds ago: spans may still be arriving; run again in a few seconds for all of them',
    );
  for (const f of ev?.injectedFaults ?? [])
    out.push(`  injected fault: ${f.kind} on ${f.service} (${f.span}${f.step ? `, during ${f.step}` : ''})`);

  if (d.verdict.next.length > 0) out.push('', 'NEXT', ...d.verdict.next.map((n) => `  - ${n}`));

  out.push('', 'LINKS');
  out.push(row('Temporal UI', d.links.temporalUi));
  for (const [i, url] of d.links.traces.entries()) out.push(row(i === 0 ? 'trace' : 'linked trace', url));
  if (d.links.traces.length === 0) out.push(row('Tempo search', d.links.tempoSearch));
  out.push(row('Grafana', `${d.links.grafanaExplore}  (docker-compose)`));
  out.push('', `diagnosed in ${duration(d.tookMs)}`);
  return out.join('\n') + '\n';
}

function networkLines(d: Diagnosis): string[] {
  if (d.network.status !== 'ok')
    return [row('network', `not checked: ${d.network.reason ?? 'Toxiproxy unavailable'}`)];
  const lines = d.network.onPath.map((p, i) =>
    row(i === 0 ? 'network' : '', `${proxyLine(p)} [${evidenceText(p)}]`),
  );
  if (lines.length === 0) lines.push(row('network', 'no Toxiproxy proxy known for this step'));
  for (const p of d.network.elsewhere) lines.push(row('elsewhere', proxyLine(p)));
  return lines;
}

function proxyLine(p: ProxyState): string {
  const where = `proxy ${p.name} (${p.listen} -> ${p.upstream})`;
  if (!p.enabled) return `${where}: DISABLED now`;
  if (p.toxics.length === 0) return `${where}: no toxics now`;
  return p.toxics.map((t) => `toxic ${describeToxic(t)} on ${where} is ACTIVE now`).join('; ');
}

const evidenceText = (p: ProxyOnPath): string =>
  ({
    trace: 'the trace shows the call went through it',
    failure: 'named by the failure',
    step: 'the step calls it',
  })[p.evidence];

function stepLine(run: StepRun, now: string): string {
  const result =
    run.outcome === 'completed'
      ? `ok${run.detail ? `: ${run.detail}` : ''}`
      : run.outcome === 'running'
        ? 'RUNNING'
        : `${run.outcome === 'timed_out' ? 'TIMED OUT' : run.outcome.toUpperCase()} ${run.failure?.type ?? ''}`.trim();
  const took =
    run.durationMs !== undefined
      ? duration(run.durationMs)
      : `${duration(Math.max(0, Date.parse(now) - Date.parse(run.scheduledAt)))}+`; // still running
  return `  ${clock(run.scheduledAt)}  ${run.step.padEnd(28)}${String(run.attempts).padStart(8)}  ${took.padEnd(9)}  ${result}`;
}

function attemptLine(a: AttemptEvidence, failure: FailureInfo | undefined, settling: boolean): string {
  const call = a.calls.findLast((c) => c.error) ?? a.calls.at(-1);
  // The step's failure message is printed above; repeat an attempt's message only when it differs.
  const message = a.message && a.message !== failure?.message ? `: ${a.message}` : '';
  const status = a.error ? `error${message}` : 'ok';
  return `${' '.repeat(16)}attempt ${a.attempt}  ${duration(a.durationMs).padEnd(8)} ${status}${call ? ` | ${callText(call, settling)}` : ''}`;
}

function callText(c: CallEvidence, settling: boolean): string {
  // The order id is in the header already: `/shipments/:orderId/cancel` reads better than the id again.
  const target = c.url
    ? truncate(c.url.replace(/^https?:\/\//, '').replace(/\/ord[_-][\w-]+/g, '/:orderId'), 70)
    : `${c.name}${c.serverPort ? ` :${c.serverPort}` : ''}`;
  const service = c.service ?? 'the service';
  const lost = c.errorType ? `no answer (${c.errorType})` : 'no answer';
  const outcome =
    c.statusCode !== undefined
      ? `HTTP ${c.statusCode}, ${c.reachedServer ? `${service} answered` : `not from ${service} (no span of it)`}`
      : c.reachedServer
        ? `${lost} although ${service} answered${c.serverStatusCode !== undefined ? ` HTTP ${c.serverStatusCode}` : ''}: lost on the way back`
        : `${lost}, ${settling ? `no sign of ${service} yet` : `never reached ${service}`}`;
  return `${target} -> ${outcome}${c.injectedFault ? `, INJECTED ${c.injectedFault}` : ''}`;
}

const truncate = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

const failureText = (f: FailureInfo): string => `${f.type}: ${f.message}`;

const row = (label: string, value: string): string => `  ${label.padEnd(12)} ${value}`;

const clock = (iso: string): string => iso.slice(11, 23);

export function duration(ms: number | undefined): string {
  if (ms === undefined) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} m`;
}
