import { describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../services/order-router/canary-state.ts';
import { advance, KEPT_DECISIONS, note, promote, rollback, start } from './lifecycle.ts';

const t0 = new Date('2026-12-02T17:00:00.000Z');
const later = new Date('2026-12-02T17:10:00.000Z');
const d = (verdict: DecisionRecord['verdict']): DecisionRecord => ({
  at: later.toISOString(),
  phase: 10,
  verdict,
  reason: 'TEST',
  summary: verdict,
  by: 'gate',
});

describe('canary lifecycle', () => {
  it('starts at 10% with the start recorded, and goes 10 → 50 → 100 (promoted)', () => {
    const s = start(undefined, t0, 600_000);
    expect(s).toMatchObject({ status: 'running', phase: 10, soakMs: 600_000 });
    expect(s.decisions.map((x) => x.verdict)).toEqual(['start']);
    const s50 = advance(s, d('advance'), later, { failed: 3, slow: 0.5 });
    expect(s50).toMatchObject({ status: 'running', phase: 50, phaseStartedAt: later.toISOString() });
    expect(s50.carried).toEqual({ failed: 3, slow: 0.5 });
    expect(advance(s50, d('advance'), later)).toMatchObject({ status: 'promoted', phase: 100 });
  });

  it('promotes by hand from any running phase, and rolls back from running or promoted', () => {
    const s = start(undefined, t0, 0);
    expect(promote(s, d('promote'), later)).toMatchObject({ status: 'promoted', phase: 100 });
    expect(rollback(s, d('rollback'))).toMatchObject({ status: 'rolled_back', phase: 10 });
    expect(rollback(promote(s, d('promote'), later), d('rollback')).status).toBe('rolled_back');
  });

  it('refuses what does not apply, with a stable code', () => {
    const s = start(undefined, t0, 0);
    expect(() => start(s, later, 0)).toThrow(expect.objectContaining({ code: 'CANARY_ALREADY_RUNNING' }));
    expect(() => advance(undefined, d('advance'), later)).toThrow(
      expect.objectContaining({ code: 'CANARY_NOT_STARTED' }),
    );
    const back = rollback(s, d('rollback'));
    expect(() => advance(back, d('advance'), later)).toThrow(
      expect.objectContaining({ code: 'CANARY_NOT_RUNNING' }),
    );
    expect(() => note(back, d('wait'))).toThrow(expect.objectContaining({ code: 'CANARY_NOT_RUNNING' }));
    expect(() => rollback(back, d('rollback'))).toThrow(
      expect.objectContaining({ code: 'CANARY_NOT_RUNNING' }),
    );
    // After a rollback, a new canary may start.
    expect(start(back, later, 0).status).toBe('running');
  });

  it('keeps the newest decisions only, so the state file stays small', () => {
    let s = start(undefined, t0, 0);
    for (let i = 0; i < KEPT_DECISIONS + 10; i++) s = note(s, d('wait'));
    expect(s.decisions).toHaveLength(KEPT_DECISIONS);
  });
});
