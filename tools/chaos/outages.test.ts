import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { downstream } from '../../platform/downstream.ts';
import {
  describeOutage,
  isOutage,
  journaledOutages,
  makeOutage,
  outageOwnerAlive,
  OUTAGE_PROGRAMS,
  undoOutages,
  type Outage,
} from './outages.ts';
import { experiments } from './scenarios.ts';

const dirs: string[] = [];
const journalPath = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'chaos-outages-'));
  dirs.push(dir);
  return join(dir, 'outages.json');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('outages', () => {
  it('when an injection is a proxy disabled or a process stopped or killed, then it is an outage; a drill fault is not', () => {
    expect(isOutage({ kind: 'proxy-disabled', proxy: 'payment-gateway' })).toBe(true);
    expect(isOutage({ kind: 'program-stopped', program: 'kafka' })).toBe(true);
    expect(isOutage({ kind: 'program-killed', program: 'order-worker' })).toBe(true);
    expect(isOutage({ kind: 'service-fault', service: 'payment', fault: { errorRate: 1 } })).toBe(false);
    expect(isOutage({ kind: 'consumer-paused', consumer: 'email' })).toBe(false);
  });

  it('when an outage names a program chaos may not touch, then it is refused before anything is journaled', async () => {
    const path = journalPath();
    await expect(makeOutage({ kind: 'program-killed', program: 'prometheus' }, path)).rejects.toThrow(
      /not a program chaos may stop or kill/,
    );
    expect(journaledOutages(path)).toEqual([]);
  });

  it('when nothing is journaled, then the rollback has nothing to undo and touches nothing', async () => {
    const lines: string[] = [];
    expect(await undoOutages((l) => lines.push(l), journalPath())).toEqual({ undone: [], failed: [] });
    expect(lines).toEqual([]);
  });

  it('when the outage journal belongs to another live process, then the rollback refuses to undo its outages', async () => {
    const path = journalPath();
    writeFileSync(
      path,
      JSON.stringify({ pid: process.ppid, outages: [{ kind: 'proxy-disabled', proxy: 'kafka' }] }),
    );
    expect(outageOwnerAlive(path)).toBe(process.ppid);
    await expect(undoOutages(() => {}, path)).rejects.toThrow(/holds outages/);
    expect(journaledOutages(path)).toEqual([{ kind: 'proxy-disabled', proxy: 'kafka' }]);
  });

  it('when an outage is described, then the line names what was done and how', () => {
    expect(describeOutage({ kind: 'proxy-disabled', proxy: 'kafka' })).toBe(
      'kafka proxy disabled (Toxiproxy: connections refused)',
    );
    expect(describeOutage({ kind: 'program-killed', program: 'payment-worker' })).toMatch(/SIGKILL/);
  });

  it('when an experiment has outages, then each names a Toxiproxy proxy of a downstream or an allowed program', () => {
    const proxies = new Set(Object.values(downstream).map((d) => d.name));
    const outages: Outage[] = experiments.flatMap((e) => e.method.injections.filter(isOutage));
    expect(outages.length).toBeGreaterThan(0);
    for (const o of outages) {
      if (o.kind === 'proxy-disabled') expect(proxies).toContain(o.proxy);
      else expect(OUTAGE_PROGRAMS).toContain(o.program);
    }
  });
});
