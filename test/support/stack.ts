// What tests need to reach the running stack. A test that needs a component checks it first and fails
// with the command that starts it, rather than skipping.
import { host, ports } from '../../platform/ports.ts';
import { probeOnce, type Probe } from '../../stack/probes.ts';

export { host, ports };
export { tools } from '../../stack/tools.ts';

export const urls = {
  temporal: `${host}:${ports.temporal}`,
  kafka: `${host}:${ports.kafka}`,
  kafkaProxied: `${host}:${ports.kafkaProxied}`,
  schemaRegistry: `http://${host}:${ports.schemaRegistry}/apis/ccompat/v7`,
  prometheus: `http://${host}:${ports.prometheus}`,
  alertmanager: `http://${host}:${ports.alertmanager}`,
  tempo: `http://${host}:${ports.tempoHttp}`,
  otlpHttp: `http://${host}:${ports.otlpHttp}`,
  toxiproxy: `http://${host}:${ports.toxiproxy}`,
} as const;

export async function requireComponent(name: string, probe: Probe): Promise<void> {
  try {
    await probeOnce(probe, 3000);
  } catch (err) {
    throw new Error(
      `${name} is not reachable (${(err as Error).message}); start the stack with \`npm start\``,
    );
  }
}

/** Polls `fn` until it returns a value other than undefined, or fails with the last reason. */
export async function eventually<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'never tried';
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
      last = 'not yet';
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${what}: gave up after ${timeoutMs} ms (${last})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const uniqueId = (prefix: string): string =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
