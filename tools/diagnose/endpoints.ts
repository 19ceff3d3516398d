// Where diagnose looks, and the links it prints. Defaults are the local stack (platform/ports.ts); each
// can be pointed elsewhere by the same variables the workers and the stack use.
import { loadConfig } from '../../platform/config.ts';
import { host, ports } from '../../platform/ports.ts';
import {
  temporalConnectionOptions,
  temporalSettings,
  type TemporalConnectionOptions,
} from '../../platform/temporal.ts';

export interface Endpoints {
  readonly temporalAddress: string;
  /**
   * Address, TLS and credentials from the same TEMPORAL_* settings as the workers (platform/temporal.ts).
   * Not enumerable: `--json` prints the endpoints, and this carries secrets.
   */
  readonly temporal: TemporalConnectionOptions;
  readonly namespace: string;
  readonly temporalUi: string;
  readonly tempo: string;
  readonly toxiproxy: string;
  /**
   * Grafana (docker-compose) and the uid of its Tempo data source, for the Explore link; `tempo` as
   * provisioned in observability/grafana/provisioning/datasources (tools/dashboards/shared.ts).
   */
  readonly grafana: string;
  readonly grafanaTempoUid: string;
}

export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): Endpoints {
  // Empty means unset here (diagnose has always read `VAR || default`).
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const temporal = loadConfig('diagnose', temporalSettings, set);
  const endpoints = {
    temporalAddress: temporal.TEMPORAL_ADDRESS,
    namespace: temporal.TEMPORAL_NAMESPACE,
    temporalUi: env.TEMPORAL_UI_URL || `http://${host}:${ports.temporalUi}`,
    tempo: env.TEMPO_URL || `http://${host}:${ports.tempoHttp}`,
    toxiproxy: env.TOXIPROXY_URL || `http://${host}:${ports.toxiproxy}`,
    grafana: env.GRAFANA_URL || `http://${host}:3000`,
    grafanaTempoUid: env.GRAFANA_TEMPO_UID || 'tempo',
  };
  Object.defineProperty(endpoints, 'temporal', {
    value: temporalConnectionOptions(temporal),
    enumerable: false,
  });
  return endpoints as Endpoints;
}

/** Time budget per remote call: diagnose answers in a few seconds or says what it could not reach. */
export const CALL_TIMEOUT_MS = 3000;
