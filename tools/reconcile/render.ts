// The one-screen answer of a reconciliation: each invariant, held or broken and how often, then the first
// violations with the order id to hand to `npm run diagnose`.
import { INVARIANTS, type ReconcileReport } from './invariants.ts';

const SHOWN = 20;

export function renderReport(report: ReconcileReport, window: string): string {
  const statuses = Object.entries(report.byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  const width = Math.max(...INVARIANTS.map((i) => i.length));
  const lines = [
    `reconciled ${report.orders} orders accepted ${window}${statuses ? ` (${statuses})` : ''}`,
    '',
    ...INVARIANTS.map((name) => {
      const n = report.byInvariant[name];
      return `  ${name.padEnd(width)}  ${n === 0 ? 'held' : `BROKEN ×${n}`}`;
    }),
    '',
  ];
  for (const v of report.violations.slice(0, SHOWN))
    lines.push(`  ${v.orderId}  ${v.invariant}: ${v.detail}   (npm run diagnose -- ${v.orderId})`);
  if (report.violations.length > SHOWN)
    lines.push(`  … and ${report.violations.length - SHOWN} more (--json)`);
  lines.push(report.clean ? 'verdict: CLEAN' : `verdict: ${report.violations.length} VIOLATIONS`);
  return lines.join('\n');
}
