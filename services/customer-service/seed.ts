// Demo customers, one per path through the order workflow. Inserted only into an empty table, so a restart
// (or an admin's changes) is never overwritten.
import { type Database, transaction } from '../../platform/sqlite.ts';
import { type CustomerRecord, customerStore } from './store.ts';

type SeedCustomer = Omit<CustomerRecord, 'createdAt' | 'updatedAt'>;

export const seedCustomers: readonly SeedCustomer[] = [
  {
    id: 'cust-alice',
    name: 'Alice Archer',
    email: 'alice@example.com',
    tier: 'gold',
    status: 'active',
    statusReason: null,
  },
  {
    id: 'cust-bob',
    name: 'Bob Baker',
    email: 'bob@example.com',
    tier: 'standard',
    status: 'active',
    statusReason: null,
  },
  {
    id: 'cust-carol',
    name: 'Carol Chen',
    email: 'carol@example.com',
    tier: 'standard',
    status: 'active',
    statusReason: null,
  },
  {
    id: 'cust-dave',
    name: 'Dave Diaz',
    email: 'dave@example.com',
    tier: 'standard',
    status: 'active',
    statusReason: null,
  },
  {
    id: 'cust-blocked',
    name: 'Blake Blocked',
    email: 'blake@example.com',
    tier: 'standard',
    status: 'blocked',
    statusReason: 'account blocked: chargeback history',
  },
  // Eligible here on purpose: it is the fraud service that turns this customer's orders away.
  {
    id: 'cust-fraudster',
    name: 'Frank Fraser',
    email: 'frank@example.com',
    tier: 'standard',
    status: 'active',
    statusReason: null,
  },
];

/** Inserts the demo customers if there are none; returns how many it inserted. */
export function seed(db: Database, now: Date = new Date()): number {
  const store = customerStore(db);
  return transaction(db, () => {
    if (store.count() > 0) return 0;
    const at = now.toISOString();
    for (const c of seedCustomers) store.insert({ ...c, createdAt: at, updatedAt: at });
    return seedCustomers.length;
  });
}
