// SQL for tax rates, one row per jurisdiction. Rates are basis points (7.25% = 725) so they stay exact.
import { type Database } from '../../platform/sqlite.ts';

export const migrations: readonly string[] = [
  `CREATE TABLE rates (
     jurisdiction TEXT PRIMARY KEY,
     name         TEXT NOT NULL,
     rate_bps     INTEGER NOT NULL CHECK (rate_bps BETWEEN 0 AND 10000),
     updated_at   TEXT NOT NULL
   ) STRICT;`,
];

export interface RateRecord {
  readonly jurisdiction: string;
  readonly name: string;
  readonly rateBps: number;
  readonly updatedAt: string;
}

const columns = 'jurisdiction, name, rate_bps AS rateBps, updated_at AS updatedAt';

// node:sqlite rejects unknown named parameters but binds missing ones as NULL: pass exactly the columns.
export function rateStore(db: Database) {
  const rate = db.prepare(`SELECT ${columns} FROM rates WHERE jurisdiction = ?`);
  const all = db.prepare(`SELECT ${columns} FROM rates ORDER BY jurisdiction`);
  const count = db.prepare('SELECT count(*) AS n FROM rates');
  const insert = db.prepare(
    'INSERT INTO rates (jurisdiction, name, rate_bps, updated_at) VALUES (:jurisdiction, :name, :rateBps, :updatedAt)',
  );
  const setRate = db.prepare(
    'UPDATE rates SET rate_bps = :rateBps, updated_at = :updatedAt WHERE jurisdiction = :jurisdiction',
  );

  return {
    rate: (jurisdiction: string) => rate.get(jurisdiction) as RateRecord | undefined,
    all: () => all.all() as unknown as RateRecord[],
    count: () => (count.get() as { n: number }).n,
    insert: ({ jurisdiction, name, rateBps, updatedAt }: RateRecord): void =>
      void insert.run({ jurisdiction, name, rateBps, updatedAt }),
    setRate: (jurisdiction: string, rateBps: number, updatedAt: string): void =>
      void setRate.run({ jurisdiction, rateBps, updatedAt }),
  };
}

export type RateStore = ReturnType<typeof rateStore>;
