import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canaryStateReader } from './canary-reader.ts';
import { canaryPercent, readCanaryState, writeCanaryState, type CanaryState } from './canary-state.ts';
import { bucketOf } from './routing.ts';

const dir = mkdtempSync(join(tmpdir(), 'canary-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const state: CanaryState = {
  version: 1,
  id: 'c1',
  status: 'running',
  phase: 10,
  startedAt: '2026-12-02T17:00:00.000Z',
  phaseStartedAt: '2026-12-02T17:00:00.000Z',
  soakMs: 600_000,
  carried: { failed: 1, slow: 1 },
  decisions: [],
};

describe('canary state', () => {
  it('round-trips through the file; no file is no canary', () => {
    const file = join(dir, 'a', 'state.json');
    expect(readCanaryState(file)).toBeUndefined();
    writeCanaryState(file, state);
    expect(readCanaryState(file)).toEqual(state);
  });

  it('maps the rollout to the Temporal share: phase while running, 0 rolled back or absent, 100 promoted', () => {
    expect(canaryPercent(undefined)).toBe(0);
    expect(canaryPercent(state)).toBe(10);
    expect(canaryPercent({ ...state, phase: 50 })).toBe(50);
    expect(canaryPercent({ ...state, status: 'rolled_back', phase: 50 })).toBe(0);
    expect(canaryPercent({ ...state, status: 'promoted', phase: 100 })).toBe(100);
  });

  it('rejects a damaged file with CANARY_STATE_INVALID, and the router then sends everything to legacy', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"version":1,"phase":30}');
    expect(() => readCanaryState(file)).toThrow(expect.objectContaining({ code: 'CANARY_STATE_INVALID' }));
    writeFileSync(file, 'not json');
    expect(() => readCanaryState(file)).toThrow(expect.objectContaining({ code: 'CANARY_STATE_INVALID' }));
    const errors: string[] = [];
    const reader = canaryStateReader(file, 0);
    reader.onError((e) => errors.push(e.message));
    expect(reader.percent()).toBe(0);
    expect(reader.percent()).toBe(0);
    expect(errors).toHaveLength(1); // said once, not per order
  });

  it('buckets order ids uniformly (so a 10% share is about 10% of orders)', () => {
    const n = 20_000;
    const under10 = Array.from({ length: n }, (_, i) => bucketOf(`ord_${i}`)).filter((b) => b < 10).length;
    expect(under10 / n).toBeGreaterThan(0.09);
    expect(under10 / n).toBeLessThan(0.11);
  });
});
