// `npm run canary -- status | start | watch | advance | rollback | promote | simulate`: the canary rollout of the
// Temporal pipeline (ADR-0047 phases 2 and 3) behind services/order-router. `start` opens phase 10% and runs
// the gate until the rollout is promoted (100%) or rolled back (0%); Ctrl-C stops the gate, not the rollout
// (`watch` resumes it). Exit codes: 0 done (promoted, or the command applied), 1 rolled back, 3 the command
// does not apply to the rollout's state (its code says why), 64 usage.
import { parseArgs } from 'node:util';
import { host, ports } from '../../platform/ports.ts';
import { AppError } from '../../platform/errors.ts';
import {
  defaultCanaryStatePath,
  readCanaryState,
  writeCanaryState,
  type CanaryState,
  type DecisionRecord,
} from '../../services/order-router/canary-state.ts';
import { parseDuration } from '../load/profiles.ts';
import { DEFAULT_POLICY, validatePolicy, type GatePolicy } from './gate/decide.ts';
import { advance, promote, rollback, start } from './lifecycle.ts';
import { notifyAlertmanager } from './notify.ts';
import { observeBreaches, observeOutcomes } from './observe.ts';
import { DEFAULT_SLOW_AFTER_SECONDS } from './queries.ts';
import { renderDecision, renderStatus } from './render.ts';
import { runGate, type GateDeps } from './run.ts';
import { renderSimulation, simulateScenarios } from './simulate-report.ts';

const USAGE = `usage: npm run canary -- <command> [options]
  status [--json] [--last N]           the rollout, its share and its decisions with their evidence
  start [--soak 10m] [--interval 60s]  phase 10%, then the gate every interval until promoted or rolled back
        [--alpha 0.01] [--min-orders 100] [--slow-after 2] [--no-watch]
  watch [same gate options]            resume the gate on a running rollout
  advance | promote | rollback [--reason TEXT]   by hand: next phase, straight to 100%, or back to 0%
  simulate [--runs 200] [--seed 1] [--rate 40] [--soak 10m] [gate options]   time to each decision, simulated
exit codes: 0 applied or promoted, 1 rolled back, 3 not applicable now (CANARY_* code), 64 usage`;

const prometheus = `http://${host}:${ports.prometheus}`;
const alertmanager = `http://${host}:${ports.alertmanager}`;
const RUNNING_BOUND_MS = 10 * 60_000;

const log = (line: Record<string, unknown>): void =>
  console.log(JSON.stringify({ time: new Date().toISOString(), service: 'canary', ...line }));

function policyFrom(v: Record<string, string | boolean | undefined>): GatePolicy {
  return validatePolicy({
    ...DEFAULT_POLICY,
    alpha: Number(v.alpha ?? DEFAULT_POLICY.alpha),
    minCanaryOrders: Number(v['min-orders'] ?? DEFAULT_POLICY.minCanaryOrders),
    soakMs: parseDuration(String(v.soak ?? '10m')) * 1000,
  });
}

function gateDeps(stateFile: string, policy: GatePolicy, slowAfter: number): GateDeps {
  return {
    stateFile,
    policy,
    outcomes: (since, now) => observeOutcomes(prometheus, since, now, slowAfter),
    breaches: (since, now) => observeBreaches(since, now, RUNNING_BOUND_MS),
    notify: (id, d) => notifyAlertmanager(alertmanager, id, d),
    log,
    now: () => new Date(),
  };
}

async function watch(stateFile: string, v: Record<string, string | boolean | undefined>): Promise<number> {
  const policy = policyFrom(v);
  const interval = parseDuration(String(v.interval ?? '60s')) * 1000;
  const slowAfter = Number(v['slow-after'] ?? DEFAULT_SLOW_AFTER_SECONDS);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  const end = await runGate(gateDeps(stateFile, policy, slowAfter), interval, stop.signal);
  console.error(renderStatus(end, new Date(), 5));
  return end?.status === 'rolled_back' ? 1 : 0;
}

async function byHand(
  stateFile: string,
  command: 'advance' | 'promote' | 'rollback',
  reason: string | undefined,
): Promise<number> {
  const state = readCanaryState(stateFile);
  const now = new Date();
  const d: DecisionRecord = {
    at: now.toISOString(),
    phase: state?.phase ?? 0,
    verdict: command,
    reason: 'MANUAL',
    summary: reason ?? `${command} by hand`,
    by: 'manual',
  };
  const next: CanaryState =
    command === 'advance'
      ? advance(state, d, now)
      : command === 'promote'
        ? promote(state, d, now)
        : rollback(state, d);
  writeCanaryState(stateFile, next);
  log({
    msg: 'canary decision',
    canary: next.id,
    phase: d.phase,
    verdict: d.verdict,
    reason: d.reason,
    summary: d.summary,
    now: { status: next.status, phase: next.phase },
  });
  await notifyAlertmanager(alertmanager, next.id, d).catch((err: unknown) =>
    log({ msg: 'Alertmanager notification failed', error: (err as Error).message }),
  );
  console.error(renderDecision(d));
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        soak: { type: 'string' },
        interval: { type: 'string' },
        alpha: { type: 'string' },
        'min-orders': { type: 'string' },
        'slow-after': { type: 'string' },
        'no-watch': { type: 'boolean', default: false },
        reason: { type: 'string' },
        json: { type: 'boolean', default: false },
        last: { type: 'string', default: '15' },
        runs: { type: 'string', default: '200' },
        seed: { type: 'string', default: '1' },
        rate: { type: 'string', default: '40' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 64;
  }
  const { values: v, positionals } = parsed;
  const command = positionals[0];
  if (v.help || !command) {
    console.log(USAGE);
    return v.help ? 0 : 64;
  }
  const stateFile = defaultCanaryStatePath();
  try {
    switch (command) {
      case 'status': {
        const state = readCanaryState(stateFile);
        console.log(
          v.json ? JSON.stringify(state ?? null, null, 2) : renderStatus(state, new Date(), Number(v.last)),
        );
        return 0;
      }
      case 'start': {
        const policy = policyFrom(v);
        const state = start(readCanaryState(stateFile), new Date(), policy.soakMs);
        writeCanaryState(stateFile, state);
        const d = state.decisions[0]!;
        log({
          msg: 'canary decision',
          canary: state.id,
          phase: d.phase,
          verdict: d.verdict,
          summary: d.summary,
        });
        await notifyAlertmanager(alertmanager, state.id, d).catch((err: unknown) =>
          log({ msg: 'Alertmanager notification failed', error: (err as Error).message }),
        );
        return v['no-watch'] ? 0 : await watch(stateFile, v);
      }
      case 'watch':
        return await watch(stateFile, v);
      case 'advance':
      case 'promote':
      case 'rollback':
        return await byHand(stateFile, command, v.reason);
      case 'simulate': {
        const o = {
          runs: Number(v.runs),
          seed: Number(v.seed),
          ordersPerMinute: Number(v.rate),
          policy: policyFrom(v),
          baseline: { failure: 0.005, slow: 0.02 },
        };
        console.log(renderSimulation(simulateScenarios(o), o));
        return 0;
      }
      default:
        console.error(`unknown command ${command}\n${USAGE}`);
        return 64;
    }
  } catch (err) {
    if (err instanceof AppError) {
      console.error(`${err.code}: ${err.message}`);
      return 3;
    }
    if (err instanceof RangeError || /not a duration/.test((err as Error).message)) {
      console.error(`${(err as Error).message}\n${USAGE}`);
      return 64;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
