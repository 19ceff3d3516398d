import { describe, expect, it } from 'vitest';
import { outcomeQueries } from './queries.ts';

describe('outcome queries', () => {
  it('select each pipeline by its label over the same window', () => {
    const t = outcomeQueries('temporal', 600, 2);
    const l = outcomeQueries('legacy', 600, 2);
    expect(t.orders).toBe('sum(increase(order_workflow_status_total{pipeline=~"|temporal"}[600s]))');
    expect(l.failed).toBe(
      'sum(increase(order_workflow_status_total{pipeline="legacy",kind="technical"}[600s]))',
    );
    expect(t.slow).toContain('order_workflow_duration_seconds_bucket{pipeline=~"|temporal",le="2"}[600s]');
  });

  it('refuses an empty or fractional window', () => {
    expect(() => outcomeQueries('temporal', 0, 2)).toThrow(/window/);
    expect(() => outcomeQueries('temporal', 1.5, 2)).toThrow(/window/);
  });
});
