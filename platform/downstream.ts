// The downstream services of ADR-0047 (simulated: they stand in for other teams' systems), their
// ports, and the Toxiproxy listener every caller goes through. One table, used by the stack runner,
// the activities' clients and the tests.
import { envPort, envPrefix } from './config.ts';

export interface DownstreamService {
  /** OTel service.name, process name and Toxiproxy proxy name. */
  readonly name: string;
  readonly portEnv: string;
  readonly port: number;
  /** Toxiproxy listens here and forwards to `port`; activities call this one. */
  readonly proxyPort: number;
}

const service = (name: string, port: number): DownstreamService => ({
  name,
  portEnv: `${envPrefix(name)}_PORT`,
  port: envPort(`${envPrefix(name)}_PORT`, port),
  proxyPort: envPort(`${envPrefix(name)}_PROXY_PORT`, port + 10_000),
});

export const downstream = {
  customer: service('customer-service', 8101),
  inventory: service('inventory-service', 8102),
  pricing: service('pricing-service', 8103),
  tax: service('tax-service', 8104),
  fraud: service('fraud-service', 8105),
  shipping: service('shipping-service', 8106),
  notification: service('notification-service', 8107),
  payment: service('payment-gateway', 8108),
} as const satisfies Record<string, DownstreamService>;

export type DownstreamName = keyof typeof downstream;
