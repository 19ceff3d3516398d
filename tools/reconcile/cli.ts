// `npm run reconcile -- --since 1h [--json]`: the saga's invariants over every order accepted in the window,
// read from each system of record (order store, payment gateway, inventory, shipping, consumers). What an
// on-call engineer runs after an incident, and what each chaos scenario and load run ends with.
// Exit codes: 0 every invariant held, 1 a violation, 2 a system could not be read, 64 usage.
import { parseArgs } from 'node:util';
import { openOrderStore } from '../../order-store/index.ts';
import { loadOrderApiConfig } from '../../services/order-api/config.ts';
import { parseSince } from '../diagnose/summary.ts';
import { parseDuration } from '../load/profiles.ts';
import { CONSUMERS_OF, gatherFacts } from './facts.ts';
import { reconcile, type ReconcileBounds } from './invariants.ts';
import { renderReport } from './render.ts';

const USAGE = `usage: npm run reconcile -- --since <15m|2h|1d|ISO time> [--running-bound 10m] [--json]
Reads the order store (ORDERS_DB), and the payment gateway, inventory, shipping and the audit-log and email
consumers on their own ports. exit codes: 0 clean, 1 violations, 2 a system could not be read, 64 usage`;

const MINUTES = 60_000;

async function main(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        since: { type: 'string' },
        'running-bound': { type: 'string', default: '10m' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 64;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const now = new Date();
  let since: Date;
  let runningMs: number;
  try {
    if (!values.since) throw new Error('--since is required');
    since = parseSince(values.since, now);
    runningMs = parseDuration(values['running-bound']) * 1000;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 64;
  }
  const bounds: ReconcileBounds = { runningMs, eventGraceMs: 2 * MINUTES };

  const store = openOrderStore(loadOrderApiConfig().ORDERS_DB);
  let report;
  try {
    const orders = await store.listCreatedSince(since.toISOString());
    const facts = await gatherFacts(
      orders.map((o) => ({
        orderId: o.orderId,
        status: o.status,
        totalCents: o.pricing?.totalCents ?? null,
        createdAt: o.createdAt,
      })),
    );
    report = reconcile(facts, now.getTime(), bounds, CONSUMERS_OF);
  } catch (err) {
    console.error(`SOURCE_UNAVAILABLE: ${(err as Error).message} (is the stack up? npm run status)`);
    return 2;
  } finally {
    await store.close();
  }
  const window = `since ${since.toISOString()}`;
  console.log(values.json ? JSON.stringify({ window, ...report }, null, 2) : renderReport(report, window));
  return report.clean ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
