// npm run compare -- <scenario> [options]: the same load and fault on both pipelines in one run, and a
// report of failed checkouts, orphaned payments and latency for each (see args.ts for the options).
// Exit 0 the saga held, 1 it did not, 2 invalid run, 64 usage.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCompareArgs, USAGE, UsageError } from './args.ts';
import { renderTerminal, reportsDir, writeReport } from './report.ts';
import { runCompare } from './run.ts';

const EXIT = { pass: 0, fail: 1, invalid: 2 } as const;

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let options;
  try {
    options = parseCompareArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${USAGE}`);
    return 64;
  }
  const dir = join(reportsDir, options.runId);
  mkdirSync(dir, { recursive: true });
  const report = await runCompare(options, (line) => console.log(line), dir);
  await writeReport(report, dir);
  console.log(renderTerminal(report, dir));
  return EXIT[report.verdict.status];
}

process.exitCode = await main(process.argv.slice(2));
