// `npm run bench -- replay | startup | event-loop`: the micro-benchmarks behind README "Performance" that
// need no stack (the load tool measures the stack). Each prints what it measured and how.
import { parseArgs } from 'node:util';
import { replayBench } from './replay.ts';
import { eventLoopMonitorBench, startupBench } from './startup.ts';

const USAGE = `usage: npm run bench -- <replay | startup | event-loop> [--runs N]
  replay       workflow-thread CPU per order replaying a completed order's history, stack traces on and off
               (--runs: orders replayed per setting, default 300)
  startup      CPU and RSS of a Node process at start with and without the tracing bootstrap (--runs, default 3)
  event-loop   idle CPU of prom-client's event-loop monitor at 10 ms and at 100 ms (10 s each)`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string' }, help: { type: 'boolean' } },
});
const [which] = positionals;
const runs = values.runs === undefined ? undefined : Number(values.runs);
if (values.help || !which || (runs !== undefined && !(Number.isInteger(runs) && runs > 0))) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 64);
}

const f = (n: number): string => n.toFixed(1);
switch (which) {
  case 'replay': {
    const n = runs ?? 300;
    for (const stackTraces of [true, false, true, false]) {
      const r = await replayBench(stackTraces, n);
      console.log(
        `replay ${n} orders, stack traces ${stackTraces ? 'on ' : 'off'}: ${f(r.cpuMsPerOrder)} CPU-ms/order`,
      );
    }
    break;
  }
  case 'startup': {
    const r = startupBench(runs ?? 3);
    console.log(
      `tracing bootstrap at start: ${f(r.withBootstrap.cpuMs)} CPU-ms, ${f(r.withBootstrap.rssMb)} MB RSS; ` +
        `without: ${f(r.without.cpuMs)} CPU-ms, ${f(r.without.rssMb)} MB (mean of ${runs ?? 3})`,
    );
    break;
  }
  case 'event-loop': {
    for (const ms of [10, 100])
      console.log(
        `event-loop monitor at ${ms} ms: ${eventLoopMonitorBench(ms, 10).toFixed(2)} CPU-ms a second at idle`,
      );
    break;
  }
  default:
    console.error(USAGE);
    process.exit(64);
}
