// The drill's result as people read it.
import { type DrillResult } from './run.ts';
import { expectedChannel, scenarios, sourceRule } from './scenarios.ts';

const seconds = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

export function formatResult(r: DrillResult): string {
  const lines = [
    '',
    `${r.delivered ? 'DELIVERED' : 'NOT DELIVERED'}  ${r.alert} (${r.severity} → ${r.expectedChannel}), drill ${r.runId}, time factor ${r.factor}`,
    `  injected        ${r.injected.join('\n                  ')}`,
    `  time to pending ${seconds(r.timeToPendingMs)}`,
    `  time to fire    ${seconds(r.timeToFireMs)}   (for: ${r.forSource} in the rules, ${r.forDrill} in the drill copy)`,
    `  time to deliver ${seconds(r.timeToDeliverMs)}   (fault → ${r.expectedChannel} stand-in, drill timings in Alertmanager)`,
  ];
  if (r.delivery)
    lines.push(`  notification    #${r.delivery.seq} ${r.delivery.channel}: ${r.delivery.summary}`);
  const t = r.traffic;
  if (t.orders > 0 || t.rejected > 0) {
    const o = t.outcomes;
    lines.push(
      `  orders          ${t.orders} accepted, ${t.rejected} rejected` +
        (o
          ? `; ${o.completed} completed, ${o.failed} failed, ${o.compensated} compensated, ` +
            `${o.compensationFailed} compensation_failed, ${o.unfinished} unfinished`
          : ''),
    );
  }
  if (t.eventCopies !== undefined)
    lines.push(`  event copies    ${t.eventCopies}; lag drained in ${seconds(t.lagDrainedMs)}`);
  lines.push(
    `  cleanup         ${r.cleanup.failed.length === 0 ? 'done' : 'INCOMPLETE'}: ${r.cleanup.undone.length} undone` +
      (r.cleanup.failed.length > 0 ? `; failed: ${r.cleanup.failed.join('; ')}` : ''),
    `  stack restored  ${r.leftovers.length === 0 ? 'yes' : `NO: ${r.leftovers.join('; ')}`}`,
  );
  if (r.error) lines.push(`  error           ${r.error}`);
  return lines.join('\n');
}

export function formatList(): string {
  return scenarios
    .map((s) => {
      const rule = sourceRule(s.alert);
      return [
        `${s.alert}  (${rule.severity} → ${expectedChannel(s.alert)}, waits up to ${s.timeoutMs / 1000} s)`,
        `    ${s.story}`,
      ].join('\n');
    })
    .join('\n');
}
