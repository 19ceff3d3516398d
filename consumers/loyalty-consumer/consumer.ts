// loyalty-consumer: points per customer for completed orders. Rule: 1 point per whole currency unit
// of the order total (totalCents / 100, rounded down), whatever the currency. Subscribes to
// orders.completed only: a failed order earns nothing.
import { z } from 'zod';
import { parse } from '../../platform/http.ts';
import { type Database } from '../../platform/sqlite.ts';
import { defineConsumer } from '../kit/definition.ts';

export const pointsFor = (totalCents: number): number => Math.max(0, Math.floor(totalCents / 100));

export const migrations: readonly string[] = [
  `CREATE TABLE loyalty_accounts (
     customer_id TEXT PRIMARY KEY,
     points      INTEGER NOT NULL,
     orders      INTEGER NOT NULL,
     updated_at  TEXT NOT NULL
   ) STRICT;
   CREATE TABLE loyalty_ledger (
     seq         INTEGER PRIMARY KEY,
     event_id    TEXT NOT NULL UNIQUE,
     order_id    TEXT NOT NULL UNIQUE,
     customer_id TEXT NOT NULL,
     points      INTEGER NOT NULL,
     total_cents INTEGER NOT NULL,
     currency    TEXT NOT NULL,
     earned_at   TEXT NOT NULL
   ) STRICT;
   CREATE INDEX loyalty_ledger_by_customer ON loyalty_ledger (customer_id, seq);`,
];

export interface LedgerEntry {
  readonly orderId: string;
  readonly points: number;
  readonly totalCents: number;
  readonly currency: string;
  readonly earnedAt: string;
}

export interface LoyaltyAccount {
  readonly customerId: string;
  readonly points: number;
  readonly orders: number;
  readonly ledger: readonly LedgerEntry[];
}

/** A customer's points; zero (not an error) for a customer who has not earned any yet. */
export function loyaltyAccount(db: Database, customerId: string): LoyaltyAccount {
  const account = db
    .prepare('SELECT points, orders FROM loyalty_accounts WHERE customer_id = ?')
    .get(customerId) as { points: number; orders: number } | undefined;
  const ledger = db
    .prepare(
      'SELECT order_id, points, total_cents, currency, earned_at FROM loyalty_ledger WHERE customer_id = ? ORDER BY seq',
    )
    .all(customerId) as unknown as {
    order_id: string;
    points: number;
    total_cents: number;
    currency: string;
    earned_at: string;
  }[];
  return {
    customerId,
    points: account?.points ?? 0,
    orders: account?.orders ?? 0,
    ledger: ledger.map((r) => ({
      orderId: r.order_id,
      points: r.points,
      totalCents: r.total_cents,
      currency: r.currency,
      earnedAt: r.earned_at,
    })),
  };
}

export const loyaltyConsumer = defineConsumer({
  name: 'loyalty-consumer',
  migrations,
  handlers: {
    completed(event, { db, now }) {
      const points = pointsFor(event.totalCents);
      // order_id is unique too: an order earns points once, whatever happens to event ids.
      const { changes } = db
        .prepare(
          `INSERT INTO loyalty_ledger (event_id, order_id, customer_id, points, total_cents, currency, earned_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING`,
        )
        .run(event.eventId, event.orderId, event.customerId, points, event.totalCents, event.currency, now);
      if (Number(changes) === 0) return;
      db.prepare(
        `INSERT INTO loyalty_accounts (customer_id, points, orders, updated_at) VALUES (?, ?, 1, ?)
         ON CONFLICT (customer_id) DO UPDATE SET points = points + excluded.points, orders = orders + 1, updated_at = excluded.updated_at`,
      ).run(event.customerId, points, now);
    },
  },
  routes(app, db) {
    app.get('/points/:customerId', (req) => {
      const { customerId } = parse(z.object({ customerId: z.string().min(1).max(200) }), req.params);
      return loyaltyAccount(db, customerId);
    });
  },
});
