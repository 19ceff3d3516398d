// The downstream services of ADR-0047 (simulated: they stand in for other teams' systems), their
// ports, and the Toxiproxy listener every caller goes through. One table, used by the stack runner,
// the activities' clients and the tests.
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
  portEnv: `${name.toUpperCase().replaceAll('-', '_')}_PORT`,
  port: envPort(`${name.toUpperCase().replaceAll('-', '_')}_PORT`, port),
  proxyPort: envPort(`${name.toUpperCase().replaceAll('-', '_')}_PROXY_PORT`, port + 10_000),
});

function envPort(env: string, fallback: number): number {
  const raw = process.env[env];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new Error(`${env}=${raw} is not a TCP port`);
  return value;
}

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
