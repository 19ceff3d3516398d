// `npm run chaos -- <experiment> | --list | --all | --cleanup`: chaos experiments under background load on
// the local stack (127.0.0.1 only), each judged on its steady-state hypothesis, its orders' outcomes and the
// saga's invariants, with a report in .orderflow/reports/chaos/<run id>/. See chaos/README.md.
import { cleanupEverything } from '../drill/cleanup.ts';
import { openJournal } from '../drill/journal.ts';
import { restorationProblems } from '../drill/verify.ts';
import { parseArgs, USAGE } from './args.ts';
import { writeChaosReport, verdictTable } from './report.ts';
import { outageLeftovers, undoOutages } from './outages.ts';
import { chaosJournalPath } from './rollback.ts';
import { runExperiment } from './run.ts';
import { experimentFor, experiments } from './scenarios.ts';

const EXIT = { pass: 0, fail: 1, invalid: 2, cleanupIncomplete: 3, usage: 64, interrupted: 130 } as const;

async function main(argv: readonly string[]): Promise<number> {
  const cmd = parseArgs(argv);
  switch (cmd.command) {
    case 'usage':
      if (cmd.error) console.error(cmd.error);
      console.error(USAGE);
      return cmd.error ? EXIT.usage : EXIT.pass;
    case 'list':
      for (const e of experiments)
        console.log(`${e.name.padEnd(32)} ${e.title}\n${' '.repeat(33)}${e.story}\n`);
      return EXIT.pass;
    case 'cleanup': {
      const outages = await undoOutages(console.log);
      const report = await cleanupEverything(openJournal(chaosJournalPath), console.log);
      const left = [...(await restorationProblems(chaosJournalPath)), ...(await outageLeftovers())];
      for (const problem of left) console.log(`[cleanup] still not normal: ${problem}`);
      return report.failed.length === 0 && outages.failed.length === 0 && left.length === 0
        ? EXIT.pass
        : EXIT.cleanupIncomplete;
    }
    case 'run': {
      // Ctrl-C or SIGTERM ends the experiment early, never its rollbacks.
      const interrupt = new AbortController();
      const onSignal = (): void => {
        console.error('[chaos] stopping: rolling back');
        interrupt.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const stamp = (line: string): string => `${new Date().toISOString().slice(11, 19)} ${line}`;
      const log = cmd.json ? (l: string) => console.error(stamp(l)) : (l: string) => console.log(stamp(l));
      const command = `npm run chaos -- ${argv.join(' ')}`;
      const started = Date.now();
      let worst = 0;
      const summary: string[] = [];
      for (const name of cmd.names) {
        if (interrupt.signal.aborted) break;
        const result = await runExperiment(experimentFor(name)!, {
          log,
          signal: interrupt.signal,
          ...(cmd.ratePerHour !== undefined ? { ratePerHour: cmd.ratePerHour } : {}),
          ...(cmd.loadSeconds !== undefined ? { loadSeconds: cmd.loadSeconds } : {}),
          ...(cmd.faultSeconds !== undefined ? { faultSeconds: cmd.faultSeconds } : {}),
        });
        await writeChaosReport(result, command);
        console.log(cmd.json ? JSON.stringify(result.verdict, null, 2) : verdictTable(result));
        summary.push(`${name.padEnd(32)} ${result.verdict.status.toUpperCase()}`);
        worst = Math.max(worst, result.verdict.exitCode === 1 ? 2 : result.verdict.exitCode === 2 ? 1 : 0);
      }
      if (cmd.names.length > 1)
        console.log(
          `\n${summary.join('\n')}\n${cmd.names.length} experiments in ${Math.round((Date.now() - started) / 1000)} s`,
        );
      if (interrupt.signal.aborted) return EXIT.interrupted;
      // fail outranks invalid
      return worst === 2 ? EXIT.fail : worst === 1 ? EXIT.invalid : EXIT.pass;
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = (err as Error).message;
    console.error(`[chaos] ${message}`);
    process.exit(/^STACK_NOT_(READY|NORMAL)/.test(message) ? EXIT.invalid : EXIT.fail);
  },
);
