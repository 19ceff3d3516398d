// Brings the native stack up and down under supervisord, in dependency order, waiting on readiness probes.
import { Kafka, logLevel } from 'kafkajs';
import { host, ports } from '../platform/ports.ts';
import { components, type Component } from './components.ts';
import { appComponents } from './apps.ts';
import { describeProbe, probeOnce, waitReady } from './probes.ts';
import {
  ctl,
  logFileOf,
  programStates,
  startSupervisor,
  supervisorPid,
  supervisorRunning,
  writeSupervisorConf,
} from './supervisor.ts';
import { tail } from './exec.ts';
import { recordedProfile, recordProfile, type TemporalProfile } from './profile.ts';
import { clusterComponents, removeClusterScrapeTargets } from './cluster/components.ts';
import { stackClusterLayout } from './cluster/layout.ts';
import { statePaths } from '../platform/paths.ts';
import { setTimeout as delay } from 'node:timers/promises';

const kafkaClient = (): Kafka =>
  new Kafka({
    clientId: 'orderflow-stack',
    brokers: [`${host}:${ports.kafka}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 2000,
  });

/** The recorded profile's components (stack/profile.ts): the cluster replaces the dev server's `temporal`. */
export const stackComponents = (profile: TemporalProfile = recordedProfile()): Component[] => [
  ...(profile === 'cluster'
    ? [
        ...clusterComponents(stackClusterLayout(), {
          logDir: statePaths.logs,
          scrapeTargetsDir: statePaths.scrapeTargets,
        }),
        ...components(kafkaClient).filter((c) => c.name !== 'temporal'),
      ]
    : components(kafkaClient)),
  ...appComponents(),
];

export class ComponentFailure extends Error {
  readonly component: string;
  constructor(component: string, reason: string) {
    super(`${component}: ${reason}`);
    this.name = 'ComponentFailure';
    this.component = component;
  }
}

async function deadReason(name: string): Promise<string | undefined> {
  const state = (await programStates()).get(name);
  if (!state) return `${name} is not known to supervisord`;
  if (state.state === 'FATAL' || state.state === 'EXITED' || state.state === 'STOPPED') {
    return `process ${state.state.toLowerCase()} (${state.detail || 'no detail'})`;
  }
  return undefined;
}

async function startComponent(c: Component): Promise<number> {
  const started = Date.now();
  const state = (await programStates()).get(c.name)?.state;
  if (state !== 'RUNNING' && state !== 'STARTING') {
    try {
      await c.prepare?.();
    } catch (err) {
      throw new ComponentFailure(c.name, `preparing its start failed: ${(err as Error).message}`);
    }
    try {
      await ctl('start', c.name);
    } catch (err) {
      throw new ComponentFailure(c.name, (err as Error).message);
    }
  }
  try {
    await waitReady(c.probe, {
      timeoutMs: c.startTimeoutMs ?? 45_000,
      stillStarting: () => deadReason(c.name),
    });
    await c.afterReady?.();
  } catch (err) {
    throw new ComponentFailure(c.name, (err as Error).message);
  }
  return Date.now() - started;
}

/** Starts every component whose dependencies are ready, as soon as they are. */
export async function startStack(
  log: (line: string) => void = console.log,
  requested?: TemporalProfile,
): Promise<void> {
  // Unasked, a running stack keeps its profile and a stopped one starts the dev server (as `npm start`).
  const profile = requested ?? ((await supervisorRunning()) ? recordedProfile() : 'dev');
  recordProfile(profile);
  if (profile === 'dev') removeClusterScrapeTargets(statePaths.scrapeTargets);
  const all = stackComponents(profile);
  writeSupervisorConf(all);
  if (await supervisorRunning()) await ctl('update');
  else await startSupervisor();

  const ready = new Map<string, Promise<void>>();
  const startOne = (c: Component): Promise<void> => {
    let p = ready.get(c.name);
    if (!p) {
      p = (async () => {
        for (const dep of c.dependsOn ?? []) {
          const d = all.find((x) => x.name === dep);
          if (!d) throw new Error(`${c.name} depends on unknown component ${dep}`);
          await startOne(d);
        }
        const ms = await startComponent(c);
        log(`[start] ${c.name} ready in ${(ms / 1000).toFixed(1)} s`);
      })();
      ready.set(c.name, p);
    }
    return p;
  };
  const results = await Promise.allSettled(all.map(startOne));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  if (failures.length > 0) {
    // A dependency's failure surfaces once per dependant; report each component once.
    const seen = new Set<string>();
    for (const f of failures) {
      const name = f instanceof ComponentFailure ? f.component : 'stack';
      if (seen.has(name)) continue;
      seen.add(name);
      log(`[start] FAILED ${f.message}`);
      if (f instanceof ComponentFailure)
        log(`[start] last lines of ${logFileOf(name)}:\n${tail(logFileOf(name))}`);
    }
    throw new Error(`stack did not start: ${[...seen].join(', ')}`);
  }
}

export interface ComponentStatus {
  readonly name: string;
  readonly process: string;
  readonly ready: boolean;
  readonly detail: string;
  readonly endpoints: Component['endpoints'];
}

export async function stackStatus(): Promise<ComponentStatus[]> {
  const running = await supervisorRunning();
  const states = running ? await programStates() : new Map<string, { state: string; detail: string }>();
  return Promise.all(
    stackComponents().map(async (c) => {
      const state = states.get(c.name);
      let ready = false;
      let detail = state?.detail ?? 'supervisor not running';
      if (state?.state === 'RUNNING') {
        try {
          await probeOnce(c.probe);
          ready = true;
        } catch (err) {
          detail = `${describeProbe(c.probe)}: ${(err as Error).message}`;
        }
      }
      return { name: c.name, process: state?.state ?? 'DOWN', ready, detail, endpoints: c.endpoints };
    }),
  );
}

export async function stackIsReady(): Promise<boolean> {
  return (await stackStatus()).every((s) => s.ready);
}

/** Stops every program and supervisord itself, waiting until supervisord has exited. */
export async function stopStack(log: (line: string) => void = console.log): Promise<void> {
  if (!(await supervisorRunning())) {
    log('[stop] stack is not running');
    return;
  }
  const pid = supervisorPid();
  await ctl('shutdown');
  const deadline = Date.now() + 60_000;
  while (pid !== undefined && Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      break; // supervisord has exited, after stopping its children
    }
    await delay(200);
  }
  log('[stop] stack stopped');
}

export function formatTable(statuses: readonly ComponentStatus[]): string {
  const rows = statuses.flatMap((s) =>
    s.endpoints.map((e, i) => [
      i === 0 ? s.name : '',
      i === 0 ? (s.ready ? 'ready' : s.process.toLowerCase()) : '',
      e.label,
      e.url,
    ]),
  );
  const header = ['component', 'state', 'endpoint', 'address'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
