// The real entry points as child processes, the way the stack runner starts them: ready when joined,
// scrape target written while running, state and metrics over HTTP, clean exit on SIGTERM. Each run uses
// its own state dir (scrape targets, SQLite), its own topics and consumer group.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lazy,
  createEventTestBed,
  eventually,
  sampleCompleted,
  uniqueId,
  type EventTestBed,
} from '../test/support/events.ts';
import { repoRoot } from '../platform/paths.ts';
import { type AuditEntry } from './audit-log-consumer/consumer.ts';
import { consumers, lagExporter } from './registry.ts';
import { PortTakenError, saysAddressInUse, withFreePort } from '../test/support/ports.ts';

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stateDir: string;
  output(): string;
  /** Resolves once the process has exited and its output is read to the end. */
  readonly closed: Promise<void>;
  /** SIGTERM; resolves with the exit code. */
  terminate(): Promise<number | null>;
}

function start(entry: string, env: Record<string, string>, port: number): Started {
  const stateDir = mkdtempSync(join(tmpdir(), 'orderflow-consumer-proc-'));
  let out = '';
  const child = spawn(process.execPath, [join(repoRoot, entry)], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      ORDERFLOW_STATE_DIR: stateDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    stateDir,
    output: () => out,
    closed,
    async terminate() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000));
      const code = await Promise.race([exited, timeout]);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        throw new Error(`${entry} did not exit within 15 s of SIGTERM\n${out}`);
      }
      return code;
    },
  };
}

/**
 * Starts `entry` and waits until it is ready. The process cannot bind port 0 (PORT must be 1-65535), so
 * it is told a free port; if that was taken before it bound it (EADDRINUSE), it starts again on another.
 * A process that does not get ready is stopped and its state dir removed.
 */
function launch(entry: string, env: Record<string, string>): Promise<Started> {
  return withFreePort(async (port) => {
    const p = start(entry, env, port);
    try {
      await ready(p);
      return p;
    } catch (err) {
      const exitedOnItsOwn = p.child.exitCode !== null || p.child.signalCode !== null;
      if (exitedOnItsOwn) await p.closed;
      else await p.terminate().catch(() => undefined);
      rmSync(p.stateDir, { recursive: true, force: true });
      if (exitedOnItsOwn && saysAddressInUse(p.output())) throw new PortTakenError(port, p.output());
      throw err;
    }
  });
}

const json = async <T>(url: string, init?: RequestInit): Promise<T> => {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

/** Polls /readyz for up to 30 s; fails at once when the process exits first. */
async function ready(p: Started): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = 'never tried';
  for (;;) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) {
      await p.closed;
      throw new Error(
        `${p.url} exited (${p.child.exitCode ?? p.child.signalCode}) before it was ready\n--- process output ---\n${p.output()}`,
      );
    }
    try {
      const res = await fetch(`${p.url}/readyz`);
      if (res.ok) return;
      last = `readyz answered ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(
        `readiness of ${p.url}: gave up after 30000 ms (${last})\n--- process output ---\n${p.output()}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('consumer processes', () => {
  let bed: EventTestBed;
  const started: Started[] = [];

  // Set up once, on first use: if the stack is down, every test fails with the command that starts it
  // (a failing beforeAll would report the tests as skipped).
  const setup = lazy(async () => {
    bed = await createEventTestBed('processes');
  });
  beforeAll(() => void setup().catch(() => undefined));
  afterAll(async () => {
    for (const p of started) {
      if (p.child.exitCode === null) await p.terminate().catch(() => undefined);
      rmSync(p.stateDir, { recursive: true, force: true });
    }
    await bed?.cleanup();
  });

  it('when a consumer process starts, then it is ready once in its group, registers its scrape target, serves state and metrics, and on SIGTERM removes the target and exits 0', async () => {
    await setup();
    const group = bed.trackGroup(uniqueId('audit-log-consumer'));
    const p = await launch(consumers.auditLog.entry, {
      CONSUMER_GROUP: group,
      ORDERS_COMPLETED_TOPIC: bed.topics.completed,
      ORDERS_FAILED_TOPIC: bed.topics.failed,
    });
    started.push(p);

    const target = join(p.stateDir, 'config', 'prometheus', 'targets', 'audit-log-consumer.json');
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual([
      { targets: [p.url.replace('http://', '')], labels: { job: 'audit-log-consumer' } },
    ]);
    expect(existsSync(join(p.stateDir, 'data', 'consumers', 'audit-log-consumer.db'))).toBe(true);

    const event = sampleCompleted();
    await bed.publisher.publishOrderCompleted(event);
    const entries = await eventually(
      async () => {
        const { entries } = await json<{ entries: AuditEntry[] }>(`${p.url}/audit?orderId=${event.orderId}`);
        return entries.length > 0 ? entries : undefined;
      },
      20_000,
      'audit entry over HTTP',
    );
    expect(entries[0]).toMatchObject({ eventId: event.eventId, eventType: 'OrderCompleted' });

    const metrics = await (await fetch(`${p.url}/metrics`)).text();
    expect(metrics).toContain(
      `orderflow_consumer_events_total{group="${group}",topic="${bed.topics.completed}",outcome="processed"} 1`,
    );
    expect(metrics).toContain(
      `orderflow_dead_letter_messages_total{group="${group}",topic="${bed.topics.failed}"} 0`,
    );
    expect(metrics).toContain('process_cpu_seconds_total');

    expect(await json(`${p.url}/admin/pause`, { method: 'POST' })).toMatchObject({
      paused: true,
      joined: true,
    });
    expect((await fetch(`${p.url}/readyz`)).status).toBe(200); // paused on purpose is still ready
    expect(await json(`${p.url}/admin/resume`, { method: 'POST' })).toMatchObject({ paused: false });

    expect(await p.terminate()).toBe(0);
    expect(existsSync(target)).toBe(false);
  });

  it('when the lag exporter process starts, then it is ready after its first measurement and exports the lag of every registered group', async () => {
    await setup();
    const p = await launch(lagExporter.entry, {
      LAG_REFRESH_INTERVAL_MS: '1000',
      ORDERS_COMPLETED_TOPIC: bed.topics.completed,
      ORDERS_FAILED_TOPIC: bed.topics.failed,
    });
    started.push(p);

    const target = join(p.stateDir, 'config', 'prometheus', 'targets', 'kafka-lag-exporter.json');
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual([
      { targets: [p.url.replace('http://', '')], labels: { job: 'kafka-lag-exporter' } },
    ]);
    const metrics = await (await fetch(`${p.url}/metrics`)).text();
    for (const c of Object.values(consumers)) {
      expect(metrics).toMatch(
        new RegExp(
          `^kafka_consumergroup_lag_messages\\{group="${c.group}",topic="${bed.topics.completed.replaceAll('.', '\\.')}",partition="0"\\} \\d+$`,
          'm',
        ),
      );
    }
    expect(metrics).toContain('kafka_consumergroup_lag_seconds{');
    const lag = await json<{ rows: { group: string }[] }>(`${p.url}/lag`);
    expect(new Set(lag.rows.map((r) => r.group))).toEqual(
      new Set(Object.values(consumers).map((c) => c.group)),
    );

    expect(await p.terminate()).toBe(0);
    expect(existsSync(target)).toBe(false);
  });
});
