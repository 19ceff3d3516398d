// `npm run shadow -- on | off | status | report`: shadow mode (ADR-0047 phase 1). `on` makes the router mirror each
// order the legacy pipeline takes to order-shadow, which runs the Temporal pipeline on it decide-only and compares
// the outcomes; `report` is the discrepancy report. Exit codes: 0 done (report: no mismatch), 1 the report found
// mismatches, 3 not applicable now (SHADOW_* code), 64 usage.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '../../platform/errors.ts';
import {
  defaultShadowStatePath,
  readShadowState,
  writeShadowState,
  type ShadowState,
} from '../../contracts/shadow.ts';
import { COMPARED_FIELDS } from '../../services/order-shadow/compare.ts';
import { defaultShadowDb } from '../../services/order-shadow/config.ts';
import { buildReport, type ShadowReport } from '../../services/order-shadow/report.ts';
import { openShadowStore } from '../../services/order-shadow/store.ts';
import { parseDuration } from '../load/profiles.ts';

const USAGE = `usage: npm run shadow -- <command> [options]
  on | off [--by NAME]                      mirror every legacy order to the Temporal pipeline in shadow, or stop
  status [--json]                           the switch, and the report's totals since it was turned on
  report [--since 1h|ISO] [--limit 50] [--json]   the discrepancy report (default: since shadow mode was turned on)
exit codes: 0 done (report: no mismatch), 1 report: mismatches found, 3 not applicable now (SHADOW_* code), 64 usage`;

const NO_RECORD = 'SHADOW_NO_RECORD';

function since(value: string | undefined, state: ShadowState | undefined): string {
  if (value === undefined) return state?.enabled ? state.changedAt : new Date(0).toISOString();
  if (/^\d{4}-\d\d-\d\dT/.test(value)) {
    const t = new Date(value);
    if (Number.isNaN(t.getTime())) throw new AppError('USAGE', 64, `--since ${value}: not a time`);
    return t.toISOString();
  }
  try {
    return new Date(Date.now() - parseDuration(value) * 1000).toISOString();
  } catch (err) {
    throw new AppError('USAGE', 64, `--since: ${(err as Error).message}`);
  }
}

function report(sinceIso: string, limit: number): ShadowReport {
  const db = defaultShadowDb();
  if (!existsSync(db))
    throw new AppError(
      NO_RECORD,
      3,
      `no shadow record at ${db}: shadow mode never ran (npm run shadow -- on)`,
    );
  const store = openShadowStore(db);
  try {
    return buildReport(store.since(sinceIso), sinceIso, limit);
  } finally {
    store.close();
  }
}

const pct = (n: number, of: number): string => (of === 0 ? '-' : `${((100 * n) / of).toFixed(1)}%`);

export function renderReport(r: ShadowReport): string {
  const compared = r.byResult.match + r.byResult.mismatch + r.byResult.unverifiable;
  const lines = [
    `shadow report since ${r.since}: ${r.orders} orders mirrored, ${compared} compared, ${r.running} still running, ${r.byResult.error} not comparable`,
    '',
    `| result       | orders | share |`,
    `| ------------ | ------ | ----- |`,
    ...(['match', 'mismatch', 'unverifiable', 'error'] as const).map(
      (k) =>
        `| ${k.padEnd(12)} | ${String(r.byResult[k]).padStart(6)} | ${pct(r.byResult[k], r.orders).padStart(5)} |`,
    ),
    '',
    `| field   | match | mismatch | unverifiable |`,
    `| ------- | ----- | -------- | ------------ |`,
    ...COMPARED_FIELDS.map(
      (f) =>
        `| ${f.padEnd(7)} | ${String(r.byField[f].match).padStart(5)} | ${String(r.byField[f].mismatch).padStart(8)} | ${String(r.byField[f].unverifiable).padStart(12)} |`,
    ),
  ];
  if (r.discrepancies.length > 0) {
    lines.push('', 'discrepancies (mismatches first):');
    for (const d of r.discrepancies) {
      const fields = Object.entries(d.fields)
        .map(
          ([f, v]) =>
            `${f} legacy=${String(v.legacy)} shadow=${String(v.shadow)}${v.result === 'unverifiable' ? ' (unverifiable)' : ''}`,
        )
        .join('; ');
      lines.push(
        `  ${d.result.padEnd(12)} ${d.orderId}: ${fields}` +
          ` [legacy: ${d.legacyFailure ?? 'completed'}; shadow: ${d.shadowFailure ?? 'completed'}]`,
      );
    }
  }
  for (const e of r.errors) lines.push(`  error        ${e.orderId}: ${e.error}`);
  return lines.join('\n');
}

function main(argv: string[]): number {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      since: { type: 'string' },
      limit: { type: 'string', default: '50' },
      by: { type: 'string', default: process.env.USER ?? 'cli' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command || rest.length > 0) {
    console.error(USAGE);
    return values.help ? 0 : 64;
  }
  const file = defaultShadowStatePath();
  const state = readShadowState(file);
  switch (command) {
    case 'on':
    case 'off': {
      const enabled = command === 'on';
      if (state?.enabled === enabled) {
        console.log(`shadow mode is already ${command} (since ${state.changedAt}, by ${state.by})`);
        return 0;
      }
      writeShadowState(file, { version: 1, enabled, changedAt: new Date().toISOString(), by: values.by });
      console.log(
        enabled
          ? 'shadow mode on: the router mirrors every new legacy order to order-shadow (within a second); ' +
              'order-shadow starts its decide-only workers. Report: npm run shadow -- report'
          : 'shadow mode off: no new order is mirrored; order-shadow stops its workers',
      );
      return 0;
    }
    case 'status':
    case 'report': {
      const limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new AppError('USAGE', 64, `--limit ${values.limit}: a positive integer`);
      const r = report(since(values.since, state), limit);
      if (command === 'status') {
        const head = state
          ? `shadow mode ${state.enabled ? 'on' : 'off'} since ${state.changedAt} (by ${state.by})`
          : 'shadow mode never turned on';
        if (values.json)
          console.log(JSON.stringify({ state: state ?? null, totals: { ...r, discrepancies: undefined } }));
        else console.log(`${head}\n${renderReport({ ...r, discrepancies: [], errors: [] })}`);
        return 0;
      }
      console.log(values.json ? JSON.stringify(r, null, 2) : renderReport(r));
      return r.byResult.mismatch > 0 ? 1 : 0;
    }
    default:
      console.error(`unknown command ${command}\n${USAGE}`);
      return 64;
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  if (err instanceof AppError) {
    console.error(`${err.code}: ${err.message}`);
    process.exitCode = err.code === 'USAGE' ? 64 : 3;
  } else throw err;
}
