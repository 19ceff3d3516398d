// An invalid security setting stops a real process at start, with the setting's name, before it connects to
// anything: order-api, a worker and a consumer, each started as the stack starts it (no stack needed).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/paths.ts';
import { withFreePort } from '../support/ports.ts';

const state = mkdtempSync(join(tmpdir(), 'orderflow-startup-'));
afterAll(() => rmSync(state, { recursive: true, force: true }));

/** Runs an entry point with only these security settings; its exit code, stderr and duration. */
async function start(
  entry: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; ms: number }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(TEMPORAL_|KAFKA_|SCHEMA_REGISTRY_|ORDERS_DB|ORDERFLOW_STATE_DIR)/.test(k),
    ),
  );
  // It must exit before it binds: the port is only there so that a process that did start takes no default.
  return withFreePort((free) => {
    const port = String(free);
    const started = Date.now();
    return new Promise<{ code: number | null; stderr: string; ms: number }>((resolve) => {
      execFile(
        process.execPath,
        ['--disable-warning=TimeoutNegativeWarning', join(repoRoot, entry)],
        {
          cwd: repoRoot,
          env: { ...clean, ORDERFLOW_STATE_DIR: state, PORT: port, OTEL_SDK_DISABLED: 'true', ...env },
          timeout: 30_000,
        },
        (err, _stdout, stderr) =>
          resolve({
            code: err ? ((err as { code?: number }).code ?? null) : 0,
            stderr,
            ms: Date.now() - started,
          }),
      );
    });
  });
}

describe('start-up with invalid security settings', () => {
  it('when order-api gets TEMPORAL_TLS_CERT without TEMPORAL_TLS_KEY, then it exits non-zero naming both', async () => {
    const r = await start('services/order-api/main.ts', { TEMPORAL_TLS_CERT: '/etc/orderflow/client.crt' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('TEMPORAL_TLS_CERT is set without TEMPORAL_TLS_KEY');
    expect(r.ms).toBeLessThan(20_000);
  });

  it('when the payment-worker gets TEMPORAL_API_KEY and TEMPORAL_API_KEY_FILE, then it exits non-zero naming them and not the key', async () => {
    const r = await start('workflows/workers/payment-worker.ts', {
      TEMPORAL_API_KEY: 'secret-key-value-123',
      TEMPORAL_API_KEY_FILE: '/etc/orderflow/api-key',
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('TEMPORAL_API_KEY and TEMPORAL_API_KEY_FILE are both set');
    expect(r.stderr).not.toContain('secret-key-value-123');
  });

  it('when a consumer gets an unknown KAFKA_SASL_MECHANISM, then it exits non-zero naming the setting and the choices', async () => {
    const r = await start('consumers/loyalty-consumer/main.ts', {
      KAFKA_SASL_MECHANISM: 'gssapi',
      KAFKA_SASL_USERNAME: 'orderflow',
      KAFKA_SASL_PASSWORD: 'secret-password-456',
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'KAFKA_SASL_MECHANISM=gssapi is not supported: use one of plain, scram-sha-256',
    );
    expect(r.stderr).not.toContain('secret-password-456');
  });
});
