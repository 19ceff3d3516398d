// SQL for customers. A row keeps the status and why it was set; eligibility is derived from them in
// customers.ts, so the two can never disagree.
import { type Database } from '../../platform/sqlite.ts';

export const migrations: readonly string[] = [
  `CREATE TABLE customers (
     id            TEXT PRIMARY KEY,
     name          TEXT NOT NULL,
     email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
     tier          TEXT NOT NULL CHECK (tier IN ('standard', 'gold')),
     status        TEXT NOT NULL CHECK (status IN ('active', 'blocked')),
     status_reason TEXT,
     created_at    TEXT NOT NULL,
     updated_at    TEXT NOT NULL
   ) STRICT;`,
];

export type Tier = 'standard' | 'gold';
export type Status = 'active' | 'blocked';

export interface CustomerRecord {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly tier: Tier;
  readonly status: Status;
  readonly statusReason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const columns = `id, name, email, tier, status, status_reason AS statusReason, created_at AS createdAt, updated_at AS updatedAt`;

// node:sqlite rejects unknown named parameters but binds missing ones as NULL: pass exactly the columns.
export function customerStore(db: Database) {
  const byId = db.prepare(`SELECT ${columns} FROM customers WHERE id = ?`);
  const byEmail = db.prepare(`SELECT ${columns} FROM customers WHERE email = ?`);
  const insert = db.prepare(
    `INSERT INTO customers (id, name, email, tier, status, status_reason, created_at, updated_at)
     VALUES (:id, :name, :email, :tier, :status, :statusReason, :createdAt, :updatedAt)`,
  );
  const update = db.prepare(
    `UPDATE customers SET name = :name, email = :email, tier = :tier, status = :status,
       status_reason = :statusReason, updated_at = :updatedAt
     WHERE id = :id`,
  );
  const count = db.prepare('SELECT count(*) AS n FROM customers');

  return {
    get: (id: string) => byId.get(id) as CustomerRecord | undefined,
    getByEmail: (email: string) => byEmail.get(email) as CustomerRecord | undefined,
    insert: ({ id, name, email, tier, status, statusReason, createdAt, updatedAt }: CustomerRecord): void =>
      void insert.run({ id, name, email, tier, status, statusReason, createdAt, updatedAt }),
    update: ({ id, name, email, tier, status, statusReason, updatedAt }: CustomerRecord): void =>
      void update.run({ id, name, email, tier, status, statusReason, updatedAt }),
    count: () => (count.get() as { n: number }).n,
  };
}

export type CustomerStore = ReturnType<typeof customerStore>;
