// `npm run drill -- <alert>`: drives the local stack until the real Prometheus fires the alert and the real
// Alertmanager delivers it to the alert-receiver, prints the times, cleans up. See alerts/README.md, "Drill".
import { parseArgs, USAGE } from './args.ts';
import { cleanupEverything } from './cleanup.ts';
import { openJournal } from './journal.ts';
import { formatList, formatResult } from './report.ts';
import { runDrill } from './run.ts';
import { restorationProblems } from './verify.ts';

const EXIT = { ok: 0, failed: 1, cleanupIncomplete: 3, usage: 64, interrupted: 130 } as const;

async function main(): Promise<number> {
  const cmd = parseArgs(process.argv.slice(2));
  switch (cmd.command) {
    case 'usage':
      if (cmd.error) console.error(cmd.error);
      console.error(USAGE);
      return cmd.error ? EXIT.usage : EXIT.ok;
    case 'list':
      console.log(formatList());
      return EXIT.ok;
    case 'cleanup': {
      const report = await cleanupEverything(openJournal(), console.log);
      const left = await restorationProblems();
      for (const problem of left) console.log(`[cleanup] still not normal: ${problem}`);
      return report.failed.length === 0 && left.length === 0 ? EXIT.ok : EXIT.cleanupIncomplete;
    }
    case 'run': {
      // Ctrl-C (or SIGTERM) ends the drill early but never skips its cleanup.
      const interrupt = new AbortController();
      const onSignal = (signal: NodeJS.Signals): void => {
        if (interrupt.signal.aborted) console.error(`[drill] ${signal}: still cleaning up, please wait`);
        else console.error(`[drill] ${signal}: stopping the drill and cleaning up`);
        interrupt.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const stamp = (line: string): string => `${new Date().toISOString().slice(11, 19)} ${line}`;
      const log = cmd.json
        ? (line: string) => console.error(stamp(line))
        : (line: string) => console.log(stamp(line));
      const result = await runDrill(cmd.alert, {
        log,
        signal: interrupt.signal,
        ...(cmd.factor !== undefined ? { factor: cmd.factor } : {}),
        ...(cmd.timeoutMs !== undefined ? { timeoutMs: cmd.timeoutMs } : {}),
      });
      console.log(cmd.json ? JSON.stringify(result, null, 2) : formatResult(result));
      if (interrupt.signal.aborted) return EXIT.interrupted;
      if (!result.delivered) return EXIT.failed;
      return result.cleanup.failed.length === 0 && result.leftovers.length === 0
        ? EXIT.ok
        : EXIT.cleanupIncomplete;
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[drill] ${(err as Error).message}`);
    process.exit(EXIT.failed);
  },
);
