// What every downstream service process shares at start: where it listens, where its SQLite file lives.
import { join } from 'node:path';
import { statePaths } from './paths.ts';
import type { DownstreamService } from './downstream.ts';
import { port, str } from './config.ts';
import { openDatabase, type Database } from './sqlite.ts';

/** HOST, PORT (the registry's default) and DATA_DIR (under the stack's state folder). */
export const serviceConfig = (service: DownstreamService) => ({
  HOST: str('127.0.0.1'),
  PORT: port(service.port),
  DATA_DIR: str(join(statePaths.data, 'services')),
});

/** `<DATA_DIR>/<service>.db`, migrated. */
export const openServiceDatabase = (
  dataDir: string,
  service: DownstreamService,
  migrations: readonly string[],
): Database => openDatabase(join(dataDir, `${service.name}.db`), migrations);
