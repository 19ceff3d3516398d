// analytics-consumer: running aggregates of outcomes. Completed orders and revenue per currency (never
// summed across currencies), failures by type, by failed step and by status, and orders per hour and
// outcome. Subscribes to both topics.
import { type Database } from '../../platform/sqlite.ts';
import { defineConsumer } from '../kit/definition.ts';

export const migrations: readonly string[] = [
  `CREATE TABLE completed_totals (
     currency       TEXT PRIMARY KEY,
     orders         INTEGER NOT NULL,
     items          INTEGER NOT NULL,
     subtotal_cents INTEGER NOT NULL,
     discount_cents INTEGER NOT NULL,
     tax_cents      INTEGER NOT NULL,
     revenue_cents  INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE failure_counts (
     failure_type TEXT NOT NULL,
     failed_step  TEXT NOT NULL,
     status       TEXT NOT NULL,
     orders       INTEGER NOT NULL,
     PRIMARY KEY (failure_type, failed_step, status)
   ) STRICT;
   CREATE TABLE hourly_outcomes (
     hour    TEXT NOT NULL,
     outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'failed')),
     orders  INTEGER NOT NULL,
     PRIMARY KEY (hour, outcome)
   ) STRICT;`,
];

const hourOf = (epochMs: number): string => `${new Date(epochMs).toISOString().slice(0, 13)}:00Z`;

function countHour(db: Database, occurredAt: number, outcome: 'completed' | 'failed'): void {
  db.prepare(
    `INSERT INTO hourly_outcomes (hour, outcome, orders) VALUES (?, ?, 1)
     ON CONFLICT (hour, outcome) DO UPDATE SET orders = orders + 1`,
  ).run(hourOf(occurredAt), outcome);
}

export interface Aggregates {
  readonly completed: {
    readonly orders: number;
    readonly byCurrency: readonly {
      currency: string;
      orders: number;
      items: number;
      subtotalCents: number;
      discountCents: number;
      taxCents: number;
      revenueCents: number;
      averageOrderCents: number;
    }[];
  };
  readonly failed: {
    readonly orders: number;
    readonly byType: readonly { failureType: string; orders: number }[];
    readonly byStep: readonly { failedStep: string; orders: number }[];
    readonly byStatus: readonly { status: string; orders: number }[];
  };
  /** failed / (completed + failed); 0 before any order. */
  readonly failureRate: number;
  /** The last 48 hours that saw an outcome, newest first. */
  readonly hourly: readonly { hour: string; outcome: string; orders: number }[];
}

export function aggregates(db: Database): Aggregates {
  const currencies = db.prepare('SELECT * FROM completed_totals ORDER BY currency').all() as unknown as {
    currency: string;
    orders: number;
    items: number;
    subtotal_cents: number;
    discount_cents: number;
    tax_cents: number;
    revenue_cents: number;
  }[];
  const group = (column: 'failure_type' | 'failed_step' | 'status') =>
    db
      .prepare(
        `SELECT ${column} AS k, SUM(orders) AS n FROM failure_counts GROUP BY ${column} ORDER BY n DESC, k`,
      )
      .all() as unknown as { k: string; n: number }[];
  const completedOrders = currencies.reduce((n, c) => n + c.orders, 0);
  const failedOrders = (
    db.prepare('SELECT COALESCE(SUM(orders), 0) AS n FROM failure_counts').get() as { n: number }
  ).n;
  return {
    completed: {
      orders: completedOrders,
      byCurrency: currencies.map((c) => ({
        currency: c.currency,
        orders: c.orders,
        items: c.items,
        subtotalCents: c.subtotal_cents,
        discountCents: c.discount_cents,
        taxCents: c.tax_cents,
        revenueCents: c.revenue_cents,
        averageOrderCents: c.orders === 0 ? 0 : Math.round(c.revenue_cents / c.orders),
      })),
    },
    failed: {
      orders: failedOrders,
      byType: group('failure_type').map((r) => ({ failureType: r.k, orders: r.n })),
      byStep: group('failed_step').map((r) => ({ failedStep: r.k, orders: r.n })),
      byStatus: group('status').map((r) => ({ status: r.k, orders: r.n })),
    },
    failureRate: completedOrders + failedOrders === 0 ? 0 : failedOrders / (completedOrders + failedOrders),
    hourly: db
      .prepare('SELECT hour, outcome, orders FROM hourly_outcomes ORDER BY hour DESC, outcome LIMIT 96')
      .all() as unknown as { hour: string; outcome: string; orders: number }[],
  };
}

export const analyticsConsumer = defineConsumer({
  name: 'analytics-consumer',
  migrations,
  handlers: {
    completed(event, { db }) {
      const items = event.items.reduce((n, i) => n + i.quantity, 0);
      db.prepare(
        `INSERT INTO completed_totals (currency, orders, items, subtotal_cents, discount_cents, tax_cents, revenue_cents)
         VALUES (?, 1, ?, ?, ?, ?, ?)
         ON CONFLICT (currency) DO UPDATE SET orders = orders + 1, items = items + excluded.items,
           subtotal_cents = subtotal_cents + excluded.subtotal_cents, discount_cents = discount_cents + excluded.discount_cents,
           tax_cents = tax_cents + excluded.tax_cents, revenue_cents = revenue_cents + excluded.revenue_cents`,
      ).run(
        event.currency,
        items,
        event.subtotalCents,
        event.discountCents,
        event.taxCents,
        event.totalCents,
      );
      countHour(db, event.occurredAt, 'completed');
    },
    failed(event, { db }) {
      db.prepare(
        `INSERT INTO failure_counts (failure_type, failed_step, status, orders) VALUES (?, ?, ?, 1)
         ON CONFLICT (failure_type, failed_step, status) DO UPDATE SET orders = orders + 1`,
      ).run(event.failureType, event.failedStep, event.status);
      countHour(db, event.occurredAt, 'failed');
    },
  },
  routes(app, db) {
    app.get('/aggregates', () => aggregates(db));
  },
});
