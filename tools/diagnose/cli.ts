// `npm run diagnose -- <orderId> [--json]` and `npm run diagnose -- --since 15m [--limit N] [--json]`.
// Exit codes: 0 diagnosed (whatever the order's outcome), 2 ORDER_NOT_FOUND, 3 TEMPORAL_UNAVAILABLE,
// 64 USAGE, 1 INTERNAL. Errors are one sentence with a stable code, never a stack trace.
import { parseArgs } from 'node:util';
import { diagnoseOrder } from './diagnosis.ts';
import { endpointsFromEnv } from './endpoints.ts';
import { DiagnoseError, EXIT, usageError } from './errors.ts';
import { renderJson, renderJsonError } from './render-json.ts';
import { renderSummary } from './render-summary.ts';
import { renderDiagnosis } from './render-text.ts';
import { parseSince, summarizeSince } from './summary.ts';
import { connectTemporal } from './temporal.ts';

const USAGE = `usage:
  npm run diagnose -- <orderId> [--json]                 one order: timeline, failing step, cause, compensations, links
  npm run diagnose -- --since 15m [--limit 500] [--json]  orders that ended badly, by step and cause

Reads Temporal (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE), Tempo (TEMPO_URL) and Toxiproxy (TOXIPROXY_URL);
defaults are the local stack.
exit codes: 0 diagnosed, 2 ORDER_NOT_FOUND, 3 TEMPORAL_UNAVAILABLE, 64 USAGE, 1 INTERNAL`;

/** Order ids are `ord_<hex>`; anything beyond this set would also be unsafe inside a TraceQL string. */
const ORDER_ID = /^[A-Za-z0-9_.:-]{1,200}$/;

interface Command {
  readonly json: boolean;
  readonly orderId?: string;
  readonly since?: string;
  readonly limit: number;
}

function parseCommand(argv: readonly string[]): Command | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        since: { type: 'string' },
        limit: { type: 'string', default: '500' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw usageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw usageError(`--limit takes a positive integer, not "${values.limit}"`);
  if (values.since !== undefined) {
    if (positionals.length > 0) throw usageError('give either an order id or --since, not both');
    return { json: values.json, since: values.since, limit };
  }
  const [orderId, ...rest] = positionals;
  if (!orderId || rest.length > 0) throw usageError('give one order id, or --since <window>');
  if (!ORDER_ID.test(orderId))
    throw usageError(`"${orderId}" is not an order id (e.g. ord_2ef7208cc85a96d7a193b889d9)`);
  return { json: values.json, orderId, limit };
}

async function run(command: Command): Promise<string> {
  const endpoints = endpointsFromEnv();
  const since = command.since !== undefined ? parseSince(command.since, new Date()) : undefined;
  const client = await connectTemporal(endpoints);
  try {
    if (since) {
      const summary = await summarizeSince(client, endpoints, since, command.since!, command.limit);
      return command.json ? renderJson(summary) : renderSummary(summary);
    }
    const diagnosis = await diagnoseOrder(client, endpoints, command.orderId!);
    return command.json ? renderJson(diagnosis) : renderDiagnosis(diagnosis);
  } finally {
    await client.connection.close().catch(() => undefined);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  try {
    const command = parseCommand(argv);
    if (command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    process.stdout.write(await run(command));
    return EXIT.ok;
  } catch (err) {
    const known =
      err instanceof DiagnoseError
        ? err
        : new DiagnoseError(
            'INTERNAL',
            EXIT.internal,
            `unexpected: ${err instanceof Error ? err.message : String(err)}`,
          );
    if (json) process.stdout.write(renderJsonError(known));
    else
      process.stderr.write(
        `diagnose: ${known.message} [${known.code}]\n${known.code === 'USAGE' ? `\n${USAGE}\n` : ''}`,
      );
    if (known.code === 'INTERNAL' && process.env.DIAGNOSE_DEBUG) console.error(err);
    return known.exitCode;
  }
}

process.exitCode = await main(process.argv.slice(2));
