// Where each order went, so a retried submission, its status and its review reach the same pipeline after the
// share has moved. Keyed by the router's routing id and by the order id the pipeline answered with (the legacy
// pipeline salts its ids: the two differ). The first assignment wins.
import { openDatabase } from '../../platform/sqlite.ts';
import type { Pipeline } from './routing.ts';

const MIGRATIONS = [
  `CREATE TABLE routes (
     id TEXT PRIMARY KEY,
     pipeline TEXT NOT NULL,
     assigned_at TEXT NOT NULL
   ) STRICT`,
];

export interface RoutesStore {
  /** Records `pipeline` for each id not yet routed; returns the pipeline the first id is routed to. */
  assign(ids: readonly string[], pipeline: Pipeline): Pipeline;
  find(id: string): Pipeline | undefined;
  close(): void;
}

export function openRoutesStore(file: string): RoutesStore {
  const db = openDatabase(file, MIGRATIONS);
  const insert = db.prepare('INSERT OR IGNORE INTO routes (id, pipeline, assigned_at) VALUES (?, ?, ?)');
  const select = db.prepare('SELECT pipeline FROM routes WHERE id = ?');
  const find = (id: string): Pipeline | undefined =>
    (select.get(id) as { pipeline: Pipeline } | undefined)?.pipeline;
  return {
    assign(ids, pipeline) {
      const at = new Date().toISOString();
      for (const id of ids) insert.run(id, pipeline, at);
      return find(ids[0]!) ?? pipeline;
    },
    find,
    close: () => db.close(),
  };
}
