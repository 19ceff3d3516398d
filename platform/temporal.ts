// How every Temporal client of orderflow finds the server: one shape for order-api, the workers and the
// tools, so TEMPORAL_PORT (which moves the local server) moves all of them. TEMPORAL_ADDRESS overrides it
// (a remote cluster or Temporal Cloud).
import { str } from './config.ts';
import { host, ports } from './ports.ts';

export const temporalSettings = {
  TEMPORAL_ADDRESS: str(`${host}:${ports.temporal}`),
  TEMPORAL_NAMESPACE: str('default'),
} as const;
