// The order store module: what order-api and order-worker use. The interface and record (store.ts), the two
// backends, and the opener with the one default location both processes share.
export * from './store.ts';
export { SqliteOrderStore, ORDER_STORE_MIGRATIONS } from './sqlite.ts';
export { PostgresOrderStore, POSTGRES_ORDER_STORE_MIGRATIONS } from './postgres.ts';
export { openOrderStore, defaultOrdersDb } from './open.ts';
