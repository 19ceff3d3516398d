// A private clustered Temporal for a test, beside the shared stack: the stack's own cluster components
// (stack/cluster/components.ts: the same commands, configs, probes and setup) on free ports and a scratch
// folder, run as this process's children instead of under the shared supervisord. Orderflow's order-api
// and workers can be started against it (appProcess); the rest of the shared stack (downstream services,
// Kafka, Toxiproxy) serves them as it serves the stack's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Component } from '../../stack/components.ts';
import { clusterComponents } from '../../stack/cluster/components.ts';
import { TEMPORAL_SERVICES, type ClusterLayout } from '../../stack/cluster/layout.ts';
import { waitReady } from '../../stack/probes.ts';
import { tail } from '../../stack/exec.ts';
import { tools } from '../../stack/tools.ts';
import { repoRoot } from '../../platform/paths.ts';
import { createServer } from 'node:net';

interface Running {
  readonly component: Component;
  child: ChildProcess;
}

export interface TestCluster {
  readonly layout: ClusterLayout;
  readonly address: string;
  /** Scratch folder: the cluster's data and logs, and what the app processes write. */
  readonly root: string;
  /** SIGTERM the component's process, start it again, wait until its probe passes. */
  readonly restart: (name: string) => Promise<void>;
  /** The component's process id (to check that a restart made a new process). */
  readonly pid: (name: string) => number | undefined;
  readonly stop: () => Promise<void>;
}

function launch(c: Component, logDir: string): ChildProcess {
  const log = createWriteStream(join(logDir, `${c.name}.log`), { flags: 'a' });
  const child = spawn(c.command, [...c.args], {
    cwd: c.cwd,
    env: { ...process.env, ...c.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once('close', () => log.end());
  return child;
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killer);
}

const exitedEarly = (child: ChildProcess, name: string, logDir: string) => (): Promise<string | undefined> =>
  Promise.resolve(
    child.exitCode !== null || child.signalCode !== null
      ? `${name} exited with ${child.exitCode ?? child.signalCode} (log: ${join(logDir, `${name}.log`)})`
      : undefined,
  );

const bindable = (port: number): Promise<boolean> =>
  new Promise((ok) => {
    const server = createServer();
    server.once('error', () => ok(false));
    server.listen(port, '127.0.0.1', () => server.close(() => ok(true)));
  });

/**
 * Free ports below 32768: Temporal keeps each host's membership port in a SMALLINT column
 * (cluster_membership.rpc_port), so the OS's ephemeral ports (32768 and up) fail its heartbeat.
 */
export async function lowFreePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let tries = 0; ports.length < count; tries++) {
    if (tries > 2000) throw new Error(`no ${count} free ports between 20000 and 32767`);
    const port = 20000 + Math.floor(Math.random() * 12_768);
    if (!ports.includes(port) && (await bindable(port))) ports.push(port);
  }
  return ports;
}

export async function startTestCluster(): Promise<TestCluster> {
  const missing = Object.values(tools.temporalCluster.bins).filter((bin) => !existsSync(bin));
  if (missing.length > 0)
    throw new Error(
      `${missing.join(', ')} missing: run \`npm run setup -- temporal-cluster\` (or npm start) first`,
    );
  const root = mkdtempSync(join(tmpdir(), 'orderflow-cluster-'));
  chmodSync(root, 0o755); // PostgreSQL runs as `nobody` under root and must reach its data folder
  const logDir = join(root, 'logs');
  mkdirSync(logDir);
  // 4 services × (gRPC, membership, metrics), the frontend's HTTP port, PostgreSQL, the UI.
  const free = await lowFreePorts(15);
  const at = (i: number): number => free[i]!;
  const layout: ClusterLayout = {
    host: '127.0.0.1',
    services: Object.fromEntries(
      TEMPORAL_SERVICES.map((s, i) => [
        s,
        { grpc: at(3 * i), membership: at(3 * i + 1), metrics: at(3 * i + 2) },
      ]),
    ) as unknown as ClusterLayout['services'],
    frontendHttp: at(12),
    postgres: at(13),
    ui: at(14),
    dataDir: join(root, 'pgdata'),
    configDir: join(root, 'config'),
  };
  const running = new Map<string, Running>();
  const startOne = async (c: Component): Promise<void> => {
    await c.prepare?.();
    const child = launch(c, logDir);
    running.set(c.name, { component: c, child });
    await waitReady(c.probe, {
      timeoutMs: c.startTimeoutMs ?? 60_000,
      stillStarting: exitedEarly(child, c.name, logDir),
    });
    await c.afterReady?.();
  };
  const stop = async (): Promise<void> => {
    for (const r of [...running.values()].reverse()) await terminate(r.child);
    running.clear();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    // The list is in dependency order (PostgreSQL, history, matching, frontend, worker, UI).
    for (const c of clusterComponents(layout, { logDir })) await startOne(c);
  } catch (err) {
    // Stop what runs, keep the scratch folder: its logs say why.
    for (const r of [...running.values()].reverse()) await terminate(r.child).catch(() => undefined);
    const failed = [...running.keys()].at(-1) ?? 'temporal-postgres';
    throw new Error(
      `test cluster did not start: ${(err as Error).message}\n` +
        `last lines of ${failed}'s log:\n${tail(join(logDir, `${failed}.log`))}\n` +
        `setup log: ${tail(join(logDir, 'temporal-cluster-setup.log'), 10)}`,
    );
  }
  return {
    layout,
    address: `${layout.host}:${layout.services.frontend.grpc}`,
    root,
    pid: (name) => running.get(name)?.child.pid,
    restart: async (name) => {
      const r = running.get(name);
      if (!r) throw new Error(`no component ${name} in the test cluster`);
      await terminate(r.child);
      await startOne(r.component);
    },
    stop,
  };
}

/**
 * One of orderflow's Node processes (order-api, a worker) against the test cluster: TEMPORAL_PORT moves its
 * Temporal address, ORDERFLOW_STATE_DIR its order store and scrape targets into the scratch folder; the
 * given env moves its own ports off the shared stack's.
 */
export function appProcess(cluster: TestCluster, name: string, entry: string, env: Record<string, string>) {
  const logDir = join(cluster.root, 'logs');
  const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', join(repoRoot, entry)], {
    cwd: repoRoot,
    env: {
      ...process.env,
      TEMPORAL_PORT: String(cluster.layout.services.frontend.grpc),
      TEMPORAL_ADDRESS: cluster.address,
      ORDERFLOW_STATE_DIR: join(cluster.root, 'state'),
      OTEL_SDK_DISABLED: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  child.once('close', () => log.end());
  return {
    child,
    log: join(logDir, `${name}.log`),
    exited: exitedEarly(child, name, logDir),
    stop: () => terminate(child),
  };
}
