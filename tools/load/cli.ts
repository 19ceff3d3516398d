// npm run load -- <profile> [--rate N/h] [--duration D] [--mix realistic|happy] [--compare-tracing] [--run-id X]
// Runs a load profile against the local stack (order-api on 127.0.0.1 only), judges it on the outcome of every
// order it sent, and writes a report to .orderflow/reports/load/<run-id>/. Exit 0 pass, 1 SLO missed,
// 2 invalid run (dropped iterations, stack not ready), 64 usage.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stateDir } from '../../platform/paths.ts';
import { startStack } from '../../stack/stack.ts';
import { runCost } from './cost-of-run.ts';
import { isMixName, mixes, type MixName } from './mix.ts';
import {
  breakpointRates,
  isProfileName,
  parseDuration,
  parseRate,
  profileNames,
  resolveProfile,
  type Profile,
} from './profiles.ts';
import {
  summarize,
  terminalVerdict,
  writeReport,
  type BreakpointResult,
  type RunReport,
  type TracingComparison,
} from './report.ts';
import { runPhase, stackProblem, type PhaseResult } from './run.ts';
import type { VerdictStatus } from './verdict.ts';

const USAGE = `usage: npm run load -- <profile> [--rate N/h] [--duration D] [--mix realistic|happy] [--compare-tracing] [--run-id X]
profiles: ${profileNames.join(', ')}
  --rate N/h          orders per hour (15000, 15000/h, 15k/h, 4/s); breakpoint: the first step's (default 5000/h)
  --duration D        90s, 5m, 1m30s; breakpoint: each step's length
  --mix M             realistic (default: declines, review, undeliverable) or happy (only orders that complete)
  --compare-tracing   run the profile with tracing on, then with the OTel SDK off (restarts the app processes)
  --run-id X          the run id (default load-<profile>-<time>); prefixes every Idempotency-Key
  --drain D           how long to wait after the last order for every order to end (default: the profile's)
  --step-rate N/h     breakpoint: rate added per step (default 2500/h)
  --max-rate N/h      breakpoint: highest step (default 40000/h)
  --no-cost           skip counting Temporal actions from the run's histories`;

const SETTLE_SECONDS = 30;

export const reportsDir = join(stateDir, 'reports', 'load');

export interface CliOptions {
  readonly profile: Profile;
  readonly mix: MixName;
  readonly compareTracing: boolean;
  readonly runId: string;
  readonly cost: boolean;
}

const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

export function parseCli(argv: readonly string[], now = new Date()): CliOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      rate: { type: 'string' },
      duration: { type: 'string' },
      mix: { type: 'string', default: 'realistic' },
      'compare-tracing': { type: 'boolean', default: false },
      'run-id': { type: 'string' },
      drain: { type: 'string' },
      'step-rate': { type: 'string' },
      'max-rate': { type: 'string' },
      'no-cost': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) throw new UsageError('');
  const [name, ...extra] = positionals;
  if (!name || !isProfileName(name)) throw new UsageError(`unknown or missing profile: ${name ?? '(none)'}`);
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (!isMixName(values.mix)) throw new UsageError(`unknown mix: ${values.mix}`);
  let profile = resolveProfile(name, {
    ...(values.rate ? { rate: parseRate(values.rate) } : {}),
    ...(values.duration ? { seconds: parseDuration(values.duration) } : {}),
  });
  if (values.drain) profile = { ...profile, drainSeconds: parseDuration(values.drain) };
  if (profile.breakpoint && (values['step-rate'] || values['max-rate']))
    profile = {
      ...profile,
      breakpoint: {
        ...profile.breakpoint,
        ...(values['step-rate'] ? { stepRate: parseRate(values['step-rate']) } : {}),
        ...(values['max-rate'] ? { maxRate: parseRate(values['max-rate']) } : {}),
      },
    };
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const runId = values['run-id'] ?? `load-${name}-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
  if (!runIdPattern.test(runId)) throw new UsageError(`run id must match ${runIdPattern.source}: ${runId}`);
  if (profile.seconds < 1) throw new UsageError('the duration must be at least 1 s');
  return {
    profile,
    mix: values.mix,
    compareTracing: values['compare-tracing'],
    runId,
    cost: !values['no-cost'],
  };
}

export class UsageError extends Error {}

const log = (line: string): void => console.log(line);

async function phase(
  o: CliOptions,
  dir: string,
  label: string,
  runId: string,
  rate?: number,
  step?: number,
): Promise<PhaseResult> {
  const p = o.profile;
  return runPhase({
    runId,
    ...(step !== undefined ? { step } : {}),
    label,
    schedule: { rate: rate ?? p.rate, seconds: p.seconds, ...(p.stages ? { stages: p.stages } : {}) },
    mix: mixes[o.mix],
    thresholds: p.thresholds,
    drainSeconds: p.drainSeconds,
    dir: step !== undefined ? join(dir, `step-${step}`) : join(dir, label.replace(/\W+/g, '-')),
    log,
  });
}

/** Restarts the app processes with the OTel SDK on or off (through the stack's own start). */
async function setTracing(on: boolean): Promise<void> {
  if (on) delete process.env.OTEL_SDK_DISABLED;
  else process.env.OTEL_SDK_DISABLED = 'true';
  log(
    `[load] restarting the app processes with tracing ${on ? 'on' : 'off'} (OTEL_SDK_DISABLED${on ? ' unset' : '=true'})`,
  );
  await startStack((line) => log(`  ${line}`));
  // Restarted processes compile and warm up: let them settle before the idle baseline and the load.
  log(`[load] letting the restarted processes settle for ${SETTLE_SECONDS} s`);
  await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));
}

export async function main(argv: readonly string[]): Promise<number> {
  let o: CliOptions;
  try {
    o = parseCli(argv);
  } catch (err) {
    const message = (err as Error).message;
    console.error(message ? `${message}\n${USAGE}` : USAGE);
    return err instanceof UsageError && message === '' ? 0 : 64;
  }
  const dir = join(reportsDir, o.runId);
  mkdirSync(dir, { recursive: true });
  const startedAt = new Date();
  const base = {
    runId: o.runId,
    profile: o.profile.name,
    mix: o.mix,
    command: `npm run load -- ${argv.join(' ')}`,
    startedAt: startedAt.toISOString(),
  };

  const problem = await stackProblem();
  if (problem) {
    console.error(`[load] INVALID: the stack is ${problem}`);
    await writeReport(
      { ...base, finishedAt: new Date().toISOString(), status: 'invalid', exitCode: 2, phases: [] },
      [],
      dir,
    );
    return 2;
  }

  const results: PhaseResult[] = [];
  let breakpoint: BreakpointResult | undefined;
  let tracing: TracingComparison | undefined;
  let status: VerdictStatus;

  if (o.profile.breakpoint) {
    const steps: { rate: number; status: VerdictStatus; reasons: string[] }[] = [];
    let highest: number | undefined;
    let failing: number | undefined;
    for (const [i, rate] of breakpointRates(o.profile).entries()) {
      const r = await phase(o, dir, `step ${i + 1}: ${rate.toLocaleString('en-US')}/h`, o.runId, rate, i + 1);
      results.push(r);
      const reasons = [
        ...r.verdict.invalidReasons,
        ...r.verdict.checks
          .filter((c) => c.gating && !c.ok)
          .map((c) => `${c.name} ${c.value} (limit ${c.limit})`),
      ];
      steps.push({ rate, status: r.verdict.status, reasons });
      log(
        `[load] step ${i + 1} at ${rate}/h: ${r.verdict.status.toUpperCase()}${reasons.length ? ` — ${reasons.join('; ')}` : ''}`,
      );
      if (r.verdict.status !== 'pass') {
        failing = rate;
        break;
      }
      highest = rate;
    }
    breakpoint = { highestPassingRate: highest, firstFailingRate: failing, steps };
    // The breakpoint run succeeds when it found a number; a first step that was invalid is an invalid run.
    status = highest !== undefined ? 'pass' : results[0]?.verdict.status === 'invalid' ? 'invalid' : 'fail';
  } else if (o.compareTracing) {
    const on = await phase(o, dir, 'tracing on', `${o.runId}-on`);
    results.push(on);
    let off: PhaseResult | undefined;
    try {
      await setTracing(false);
      off = await phase(o, dir, 'tracing off', `${o.runId}-off`);
      results.push(off);
    } finally {
      await setTracing(true);
    }
    const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
    tracing = {
      on: summarize(on),
      off: summarize(off),
      throughputRatio: ratio(off.efficiency.achievedOrdersPerHour, on.efficiency.achievedOrdersPerHour),
      cpuPerOrderRatio: ratio(off.efficiency.netCpuMsPerOrder, on.efficiency.netCpuMsPerOrder),
      grossCpuPerOrderRatio: ratio(off.efficiency.cpuMsPerOrder, on.efficiency.cpuMsPerOrder),
      cpuBoundRatio: ratio(off.efficiency.cpuBoundOrdersPerHour, on.efficiency.cpuBoundOrdersPerHour),
    };
    // Judged on the run as deployed (tracing on); an invalid half makes the comparison invalid.
    status = off.verdict.status === 'invalid' ? 'invalid' : on.verdict.status;
  } else {
    const r = await phase(o, dir, o.profile.name, o.runId);
    results.push(r);
    status = r.verdict.status;
  }

  let cost: Awaited<ReturnType<typeof runCost>> = {};
  if (o.cost) {
    // Ended orders only: a running workflow's later actions are not in its history yet.
    const ids = results.flatMap((r) => r.orders.filter((x) => x.outcome !== 'running').map((x) => x.orderId));
    cost = await runCost(ids);
  }
  const exitCode = status === 'pass' ? 0 : status === 'fail' ? 1 : 2;
  const report: RunReport = await writeReport(
    {
      ...base,
      finishedAt: new Date().toISOString(),
      status,
      exitCode,
      phases: results.map(summarize),
      ...(breakpoint ? { breakpoint } : {}),
      ...(tracing ? { tracing } : {}),
      ...(cost.cost ? { cost: cost.cost } : {}),
      ...(cost.error ? { costError: cost.error } : {}),
    },
    results,
    dir,
  );
  log(terminalVerdict(report, dir));
  return exitCode;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
