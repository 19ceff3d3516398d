import { describe, expect, it } from 'vitest';
import { compareOutcomes, type PipelineOutcome } from './compare.ts';
import { buildReport } from './report.ts';
import { openShadowStore } from './store.ts';

const done = (totalCents: number): PipelineOutcome => ({ status: 'completed', totalCents, failure: null });

describe('the shadow report', () => {
  it('when orders matched, mismatched, could not be compared or still run, then each is counted and mismatches are listed first', () => {
    const store = openShadowStore(':memory:');
    const since = new Date(Date.now() - 1000).toISOString();
    for (const id of ['a', 'b', 'c', 'd', 'e']) expect(store.add(id, { id })).toBe(true);
    expect(store.add('a', { id: 'a' })).toBe(false); // mirrored twice: one record

    store.recordComparison('a', done(100), compareOutcomes(done(100), done(100)));
    const paymentFailed: PipelineOutcome = {
      status: 'failed',
      totalCents: 100,
      failure: { step: 'ProcessPayment', type: 'PaymentDeclined', message: 'declined' },
    };
    store.recordShadowOutcome('b', done(100));
    store.recordComparison('b', paymentFailed, compareOutcomes(paymentFailed, done(100)));
    store.recordShadowOutcome('c', done(90));
    store.recordComparison('c', done(100), compareOutcomes(done(100), done(90)));
    store.recordError('d', 'the legacy pipeline has no finished record of this order');

    const r = buildReport(store.since(since), since);
    expect(r.orders).toBe(5);
    expect(r.running).toBe(1);
    expect(r.byResult).toEqual({ match: 1, mismatch: 1, unverifiable: 1, error: 1 });
    expect(r.byField.amount).toEqual({ match: 2, mismatch: 1, unverifiable: 0 });
    expect(r.discrepancies.map((d) => [d.orderId, d.result])).toEqual([
      ['c', 'mismatch'],
      ['b', 'unverifiable'],
    ]);
    expect(r.discrepancies[0]!.fields).toEqual({ amount: { result: 'mismatch', legacy: 100, shadow: 90 } });
    expect(r.discrepancies[1]!.legacyFailure).toBe('PaymentDeclined at ProcessPayment');
    expect(r.errors).toEqual([
      { orderId: 'd', error: 'the legacy pipeline has no finished record of this order' },
    ]);
    expect(store.running()).toEqual(['e']);
  });
});
