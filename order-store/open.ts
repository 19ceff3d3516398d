// Which order store a process opens: one default location, derived from the stack's state paths, for
// order-api and order-worker alike (ORDERS_DB overrides it in both).
import { join } from 'node:path';
import { statePaths } from '../platform/paths.ts';
import { PostgresOrderStore } from './postgres.ts';
import { SqliteOrderStore } from './sqlite.ts';
import type { OrderStore } from './store.ts';

/** `<state>/data/services/orders.db`: where order-api and order-worker meet unless ORDERS_DB says otherwise. */
export const defaultOrdersDb = (data: string = statePaths.data): string =>
  join(data, 'services', 'orders.db');

/**
 * The store for a location: a `postgres://` or `postgresql://` URL means PostgreSQL (deployments; the schema
 * is migrated on the store's first operation, so this stays synchronous), anything else is a SQLite file path.
 */
export function openOrderStore(location: string): OrderStore {
  if (/^postgres(ql)?:\/\//.test(location)) return PostgresOrderStore.connect(location);
  return SqliteOrderStore.open(location);
}
