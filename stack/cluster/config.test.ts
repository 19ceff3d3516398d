import { describe, expect, it } from 'vitest';
import { portSpecs } from '../../platform/ports.ts';
import { DYNAMIC_CONFIG, dynamicConfigFileContent, serverConfig } from './config.ts';
import { TEMPORAL_TUNING } from '../temporal-tuning.ts';
import { layoutPorts, stackClusterLayout, TEMPORAL_SERVICES } from './layout.ts';
import { indexedValueType } from './namespace.ts';

describe('the stack cluster layout', () => {
  const layout = stackClusterLayout({});

  it('keeps the frontend on the dev server ports clients use (7233, the UI, the metrics job)', () => {
    expect(layout.services.frontend.grpc).toBe(portSpecs.temporal.default);
    expect(layout.services.frontend.metrics).toBe(portSpecs.temporalMetrics.default);
    expect(layout.ui).toBe(portSpecs.temporalUi.default);
  });

  it('gives every other port its own number, clear of the rest of the stack', () => {
    const own = layoutPorts(layout);
    expect(new Set(own).size).toBe(own.length);
    const shared: number[] = [portSpecs.temporal, portSpecs.temporalMetrics, portSpecs.temporalUi].map(
      (p) => p.default,
    );
    const others = Object.values(portSpecs)
      .map((p): number => p.default)
      .filter((p) => !shared.includes(p));
    expect(own.filter((p) => others.includes(p))).toEqual([]);
  });

  it('keeps membership ports below 32768 (Temporal stores them as SMALLINT)', () => {
    for (const s of TEMPORAL_SERVICES) expect(layout.services[s].membership).toBeLessThan(32768);
  });

  it('refuses a port variable that is not a port', () => {
    expect(() => stackClusterLayout({ TEMPORAL_CLUSTER_HISTORY_GRPC_PORT: 'seven' })).toThrow(
      /TEMPORAL_CLUSTER_HISTORY_GRPC_PORT=seven is not a TCP port/,
    );
  });
});

describe('serverConfig', () => {
  const layout = stackClusterLayout({});

  it('differs between services only in the metrics listen address', () => {
    const history = serverConfig(layout, 'history', '/dc.yaml');
    const matching = serverConfig(layout, 'matching', '/dc.yaml');
    expect(history.global.metrics.prometheus.listenAddress).toBe('127.0.0.1:7244');
    expect(matching.global.metrics.prometheus.listenAddress).toBe('127.0.0.1:7246');
    expect({ ...history, global: undefined }).toEqual({ ...matching, global: undefined });
  });

  it('puts both stores on PostgreSQL and points clients at the frontend', () => {
    const c = serverConfig(layout, 'frontend', '/dc.yaml');
    expect(c.persistence.datastores['postgres-default'].sql).toMatchObject({
      pluginName: 'postgres12',
      databaseName: 'temporal',
      connectAddr: `127.0.0.1:${layout.postgres}`,
    });
    expect(c.persistence.datastores['postgres-visibility'].sql.databaseName).toBe('temporal_visibility');
    expect(c.publicClient.hostPort).toBe('127.0.0.1:7233');
    expect(c.services.frontend?.rpc).toMatchObject({ grpcPort: 7233, httpPort: layout.frontendHttp });
  });

  it('writes the dev server tuning as constrained dynamic-config values', () => {
    const file = dynamicConfigFileContent(DYNAMIC_CONFIG);
    expect(file['history.persistenceMaxQPS']).toEqual([{ value: 45000, constraints: {} }]);
  });

  it('carries the same tuning as the dev server (partitions, eager activities)', () => {
    const file = dynamicConfigFileContent(DYNAMIC_CONFIG);
    for (const [key, value] of Object.entries(TEMPORAL_TUNING)) {
      expect(file[key], key).toEqual([{ value, constraints: {} }]);
    }
    expect(file['system.enableActivityEagerExecution']).toEqual([{ value: true, constraints: {} }]);
  });
});

describe('indexedValueType', () => {
  it('maps the CLI type names of ORDER_SEARCH_ATTRIBUTES, and refuses others', () => {
    expect(indexedValueType('Keyword')).toBeGreaterThan(0);
    expect(indexedValueType('Datetime')).toBeGreaterThan(0);
    expect(() => indexedValueType('Unspecified')).toThrow(/unknown search attribute type/);
    expect(() => indexedValueType('Geo')).toThrow(/unknown search attribute type/);
  });
});
