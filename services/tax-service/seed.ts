// Demo tax rates (combined state + average local for the US states; standard VAT in Europe; Canada's GST
// only). Inserted only into an empty table, so rates changed through PUT /rates survive restarts.
import { type Database, transaction } from '../../platform/sqlite.ts';
import { type RateRecord, rateStore } from './store.ts';

export const seedRates: readonly Omit<RateRecord, 'updatedAt'>[] = [
  { jurisdiction: 'US-CA', name: 'California', rateBps: 725 },
  { jurisdiction: 'US-NY', name: 'New York', rateBps: 800 },
  { jurisdiction: 'US-IL', name: 'Illinois', rateBps: 625 },
  { jurisdiction: 'US-TX', name: 'Texas', rateBps: 625 },
  { jurisdiction: 'US-WA', name: 'Washington', rateBps: 650 },
  { jurisdiction: 'US-OR', name: 'Oregon (no sales tax)', rateBps: 0 },
  { jurisdiction: 'US', name: 'United States (other states)', rateBps: 500 },
  { jurisdiction: 'DE', name: 'Germany (VAT)', rateBps: 1_900 },
  { jurisdiction: 'FR', name: 'France (VAT)', rateBps: 2_000 },
  { jurisdiction: 'GB', name: 'United Kingdom (VAT)', rateBps: 2_000 },
  { jurisdiction: 'NL', name: 'Netherlands (VAT)', rateBps: 2_100 },
  { jurisdiction: 'CA', name: 'Canada (GST)', rateBps: 500 },
];

/** Inserts the demo rates if there are none; returns how many it inserted. */
export function seed(db: Database, now: Date = new Date()): number {
  const store = rateStore(db);
  return transaction(db, () => {
    if (store.count() > 0) return 0;
    for (const r of seedRates) store.insert({ ...r, updatedAt: now.toISOString() });
    return seedRates.length;
  });
}
