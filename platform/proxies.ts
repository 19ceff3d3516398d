// The Toxiproxy proxies of the local stack, named by what they front: every caller reaches Kafka and
// every downstream service through one, so a scenario can put toxics on any dependency.
import { host, ports } from './ports.ts';
import { downstream } from './downstream.ts';

export interface ProxyDefinition {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
}

export function proxyDefinitions(): ProxyDefinition[] {
  return [
    // Upstream is the broker's CHAOS listener, which advertises this proxy (see stack/tools/kafka).
    {
      name: 'kafka',
      listen: `${host}:${ports.kafkaProxied}`,
      upstream: `${host}:${ports.kafkaChaosListener}`,
      enabled: true,
    },
    ...Object.values(downstream).map((s) => ({
      name: s.name,
      listen: `${host}:${s.proxyPort}`,
      upstream: `${host}:${s.port}`,
      enabled: true,
    })),
  ];
}
