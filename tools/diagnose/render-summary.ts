// `--since` for a person: how many orders ended badly, grouped by step and cause, newest example of
// each to diagnose next, and what Toxiproxy is doing right now.
import { duration } from './render-text.ts';
import type { Summary } from './summary.ts';
import { describeToxic } from './toxiproxy.ts';

export function renderSummary(s: Summary): string {
  const out: string[] = [];
  const ended = s.examined + s.unreadable.length;
  const context =
    s.completed !== undefined
      ? ` (${s.completed} completed in the same window, ${s.running ?? '?'} running now)`
      : '';
  out.push(
    `ORDERS THAT ENDED BADLY in the last ${s.window} (since ${s.since.replace('T', ' ')}): ${ended}${context}`,
  );
  if (s.truncated) out.push(`  only the newest ${s.examined} were read; narrow the window for the rest`);
  if (s.retrying > 0)
    out.push(
      `ORDERS RETRYING A FAILED STEP NOW: ${s.retrying} (outcome "retrying" below: not ended, the fault is live)`,
    );
  if (s.retryingError) out.push(`  retrying orders not checked: ${s.retryingError}`);
  if (ended === 0 && s.retrying === 0)
    out.push('  none: every order in the window completed or is still running');

  if (s.groups.length > 0) {
    out.push(
      '',
      `  ${'count'.padStart(5)}  ${'outcome'.padEnd(19)} ${'step'.padEnd(17)} ${'cause'.padEnd(24)} ${'kind'.padEnd(23)} downstream`,
    );
    for (const g of s.groups) {
      const downstream = [
        g.service ?? '',
        g.status !== undefined ? `HTTP ${g.status}` : '',
        g.injectedFault ? 'INJECTED FAULT' : '',
        g.proxyFaultNow ? `${g.proxyFaultNow} NOW` : '',
      ]
        .filter(Boolean)
        .join(', ');
      out.push(
        `  ${String(g.count).padStart(5)}  ${outcomeLabel(g).padEnd(19)} ${g.step.padEnd(17)} ${g.cause.padEnd(24)} ${g.category.padEnd(23)} ${downstream}`,
      );
      out.push(
        `${' '.repeat(9)}newest ${g.latestOrderId} at ${g.latestAt.slice(11, 19)}: ${truncate(g.sampleMessage, 90)}`,
      );
      if (g.retryingStep)
        out.push(
          `${' '.repeat(9)}stuck retrying the compensation ${g.retryingStep}: the order cannot end until it succeeds`,
        );
    }
  }
  for (const u of s.unreadable) out.push(`  could not read ${u.orderId}: ${u.reason}`);

  out.push('', 'NETWORK NOW');
  if (s.network.status !== 'ok') out.push(`  not checked: ${s.network.reason ?? ''}`);
  else if (s.network.faulty.length === 0) out.push('  no Toxiproxy proxy has toxics or is disabled');
  for (const p of s.network.faulty)
    out.push(
      p.enabled
        ? `  ${p.toxics.map((t) => `toxic ${describeToxic(t)}`).join('; ')} on proxy ${p.name} is ACTIVE now`
        : `  proxy ${p.name} is DISABLED now`,
    );

  out.push('', 'NEXT');
  if (s.groups[0])
    out.push(`  npm run diagnose -- ${s.groups[0].latestOrderId}    (the newest of the largest group)`);
  out.push(`  Temporal UI: ${s.links.temporalUi}`);
  out.push('', `summarized in ${duration(s.tookMs)}`);
  return out.join('\n') + '\n';
}

const outcomeLabel = (g: Summary['groups'][number]): string =>
  g.outcome !== 'running'
    ? g.outcome
    : g.retryingStep
      ? `compensating (try ${g.attempts ?? '?'})`
      : `retrying (try ${g.attempts ?? '?'})`;

const truncate = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;
