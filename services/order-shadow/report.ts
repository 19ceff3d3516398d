// The discrepancy report: what `npm run shadow -- report` and GET /shadow/report show. Pure over the store's rows.
import { COMPARED_FIELDS, FIELD_RESULTS, type ComparedField, type FieldResult } from './compare.ts';
import type { ShadowOrderRow } from './store.ts';

export interface Discrepancy {
  readonly orderId: string;
  readonly result: FieldResult;
  readonly fields: Partial<
    Record<
      ComparedField,
      { result: FieldResult; legacy: string | number | null; shadow: string | number | null }
    >
  >;
  readonly legacyFailure: string | null;
  readonly shadowFailure: string | null;
}

export interface ShadowReport {
  readonly since: string;
  readonly orders: number;
  readonly running: number;
  readonly byResult: Readonly<Record<FieldResult | 'error', number>>;
  readonly byField: Readonly<Record<ComparedField, Readonly<Record<FieldResult, number>>>>;
  /** Mismatches first, then unverifiable orders, then errors; at most `limit`. */
  readonly discrepancies: readonly Discrepancy[];
  readonly errors: readonly { orderId: string; error: string }[];
}

const failureText = (f: { step: string; type: string } | null | undefined): string | null =>
  f ? `${f.type} at ${f.step}` : null;

export function buildReport(rows: readonly ShadowOrderRow[], since: string, limit = 50): ShadowReport {
  const byResult = { match: 0, mismatch: 0, unverifiable: 0, error: 0 };
  const byField = Object.fromEntries(
    COMPARED_FIELDS.map((f) => [f, Object.fromEntries(FIELD_RESULTS.map((r) => [r, 0]))]),
  ) as Record<ComparedField, Record<FieldResult, number>>;
  const discrepancies: Discrepancy[] = [];
  const errors: { orderId: string; error: string }[] = [];
  let running = 0;
  for (const row of rows) {
    if (row.state === 'running') running++;
    else if (row.state === 'error') {
      byResult.error++;
      errors.push({ orderId: row.orderId, error: row.error ?? 'unknown' });
    } else if (row.comparison) {
      byResult[row.comparison.result]++;
      for (const f of COMPARED_FIELDS) byField[f][row.comparison.fields[f].result]++;
      if (row.comparison.result !== 'match')
        discrepancies.push({
          orderId: row.orderId,
          result: row.comparison.result,
          fields: Object.fromEntries(
            COMPARED_FIELDS.filter((f) => row.comparison!.fields[f].result !== 'match').map((f) => [
              f,
              row.comparison!.fields[f],
            ]),
          ),
          legacyFailure: failureText(row.legacyOutcome?.failure),
          shadowFailure: failureText(row.shadowOutcome?.failure),
        });
    }
  }
  const rank = (d: Discrepancy): number => (d.result === 'mismatch' ? 0 : 1);
  discrepancies.sort((a, b) => rank(a) - rank(b));
  return {
    since,
    orders: rows.length,
    running,
    byResult,
    byField,
    discrepancies: discrepancies.slice(0, limit),
    errors: errors.slice(0, limit),
  };
}
