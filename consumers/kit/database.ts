// A consumer's SQLite file: its own migrations plus the kit's processed-events table.
import { openDatabase, type Database } from '../../platform/sqlite.ts';
import { type ConsumerDefinition } from './definition.ts';
import { ensureProcessedEventsTable } from './processed-events.ts';

export function openConsumerDatabase(file: string, definition: ConsumerDefinition): Database {
  const db = openDatabase(file, definition.migrations);
  ensureProcessedEventsTable(db);
  return db;
}
