import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../platform/paths.ts';
import { downstream } from '../platform/downstream.ts';
import { ORDER_API_PORT } from '../stack/apps.ts';
import { definitions } from './definitions.ts';
import { subscribedKinds } from './kit/definition.ts';
import { consumers, lagExporter, lagTargets, readyUrl } from './registry.ts';

describe('consumer registry', () => {
  it('when the registry lists a consumer, then its definition exists with the same name and subscriptions, and its entry point exists', () => {
    for (const c of Object.values(consumers)) {
      const definition = definitions[c.name];
      expect(definition?.name).toBe(c.name);
      expect(subscribedKinds(definition!)).toEqual(c.subscribes);
      expect(existsSync(join(repoRoot, c.entry))).toBe(true);
    }
    expect(Object.keys(definitions).sort()).toEqual(
      Object.values(consumers)
        .map((c) => c.name)
        .sort(),
    );
    expect(existsSync(join(repoRoot, lagExporter.entry))).toBe(true);
  });

  it('when ports are assigned, then they are unique, in 8201-8209, and clash with no service', () => {
    const ours = [...Object.values(consumers).map((c) => c.port), lagExporter.port];
    expect(new Set(ours).size).toBe(ours.length);
    for (const p of ours) {
      expect(p).toBeGreaterThanOrEqual(8201);
      expect(p).toBeLessThanOrEqual(8209);
    }
    const others = [ORDER_API_PORT, ...Object.values(downstream).flatMap((s) => [s.port, s.proxyPort])];
    for (const p of ours) expect(others).not.toContain(p);
    expect(readyUrl(consumers.loyalty)).toBe('http://127.0.0.1:8201/readyz');
  });

  it('when the lag exporter asks what to measure, then it gets every group with the topics it subscribes to', () => {
    expect(lagTargets()).toEqual([
      { group: 'loyalty-consumer', topics: ['orders.completed'] },
      { group: 'analytics-consumer', topics: ['orders.completed', 'orders.failed'] },
      { group: 'email-consumer', topics: ['orders.completed', 'orders.failed'] },
      { group: 'audit-log-consumer', topics: ['orders.completed', 'orders.failed'] },
    ]);
  });
});
