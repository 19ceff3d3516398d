// The pinned tool chain of the native stack. Every tool comes from a package registry the build machines
// reach (the Go module proxy, Maven Central, PyPI, Debian) and is installed into
// `<cache>/<name>-<version>/`, so a second checkout, a second run and CI on the same machine reuse it.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, repoRoot } from '../platform/paths.ts';
import { CommandError, runLogged } from './exec.ts';

export interface InstallContext {
  readonly dir: string;
  readonly log: string;
}

export interface Tool<B extends string = string> {
  readonly name: string;
  readonly version: string;
  /** Where it comes from, for the setup log and README. */
  readonly source: string;
  /** Tools in the same lane install one after another; lanes run side by side (Go builds share the CPU). */
  readonly lane: 'go' | 'other';
  readonly dir: string;
  readonly bins: Readonly<Record<B, string>>;
  install(ctx: InstallContext): Promise<void>;
}

const defineTool = <B extends string>(tool: Tool<B>): Tool<B> => tool;
const toolDir = (name: string, version: string): string => join(cacheDir, `${name}-${version}`);
const goEnv = (): NodeJS.ProcessEnv => ({ ...process.env, GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' });

function goInstallTool<B extends string>(name: string, version: string, pkgs: Record<B, string>): Tool<B> {
  const dir = toolDir(name, version);
  return {
    name,
    version,
    source: `go install ${Object.values(pkgs).join(' ')}`,
    lane: 'go',
    dir,
    bins: Object.fromEntries(Object.keys(pkgs).map((bin) => [bin, join(dir, 'bin', bin)])) as Record<
      B,
      string
    >,
    async install({ dir, log }) {
      // `go install` names a binary after its package folder (toxiproxy's are `server` and `cli`), so
      // each package goes to its own GOBIN and is renamed to the name we use.
      for (const [bin, pkg] of Object.entries<string>(pkgs)) {
        const gobin = join(dir, 'gobin', bin);
        mkdirSync(gobin, { recursive: true });
        await runLogged('go', ['install', pkg], log, { env: { ...goEnv(), GOBIN: gobin } });
        const [built] = readdirSync(gobin);
        if (!built) throw new Error(`go install ${pkg} produced no binary`);
        mkdirSync(join(dir, 'bin'), { recursive: true });
        renameSync(join(gobin, built), join(dir, 'bin', bin));
      }
      rmSync(join(dir, 'gobin'), { recursive: true, force: true });
    },
  };
}

/** Binaries built from the `tool` packages of a module under stack/tools/<name> (its go.mod pins them). */
function goModuleTools<B extends string>(name: string, version: string, pkgs: Record<B, string>): Tool<B> {
  const dir = toolDir(name, version);
  return {
    name,
    version,
    source: `Go module proxy, built from stack/tools/${name} (${Object.values(pkgs).join(', ')})`,
    lane: 'go',
    dir,
    bins: Object.fromEntries(Object.keys(pkgs).map((bin) => [bin, join(dir, 'bin', bin)])) as Record<
      B,
      string
    >,
    async install({ dir, log }) {
      for (const [bin, pkg] of Object.entries<string>(pkgs)) {
        await runLogged('go', ['build', '-o', join(dir, 'bin', bin), pkg], log, {
          cwd: join(repoRoot, 'stack', 'tools', name),
          env: goEnv(),
        });
      }
    },
  };
}

function debianTool<B extends string>(
  name: string,
  pkg: string,
  version: string,
  bins: Record<B, string>,
): Tool<B> {
  const dir = toolDir(name, version);
  return {
    name,
    version,
    source: `Debian package ${pkg}=${version}`,
    lane: 'other',
    dir,
    bins: Object.fromEntries(
      Object.entries<string>(bins).map(([bin, path]) => [bin, join(dir, 'root', path)]),
    ) as Record<B, string>,
    async install({ dir, log }) {
      // `apt-get download` fetches the .deb without installing it system-wide (no service, no root
      // side effects); `dpkg-deb -x` unpacks it into the cache.
      const debs = join(dir, 'debs');
      mkdirSync(debs, { recursive: true });
      const download = (): Promise<void> =>
        runLogged('apt-get', ['download', `${pkg}=${version}`], log, { cwd: debs });
      try {
        await download();
      } catch (err) {
        if (!(err instanceof CommandError)) throw err;
        await runLogged('apt-get', ['update', '-qq'], log); // a fresh machine has no package lists yet
        await download();
      }
      const [deb] = readdirSync(debs).filter((f) => f.endsWith('.deb'));
      if (!deb) throw new Error(`apt-get download ${pkg}=${version} produced no .deb`);
      await runLogged('dpkg-deb', ['-x', join(debs, deb), join(dir, 'root')], log);
      rmSync(debs, { recursive: true, force: true });
    },
  };
}

function pythonTool<const B extends string>(
  name: string,
  version: string,
  requirements: string,
  bins: readonly B[],
): Tool<B> {
  const dir = toolDir(name, version);
  return {
    name,
    version,
    source: `PyPI (${requirements.replace(repoRoot + '/', '')})`,
    lane: 'other',
    dir,
    bins: Object.fromEntries(bins.map((bin) => [bin, join(dir, 'bin', bin)])) as Record<B, string>,
    async install({ dir, log }) {
      await runLogged('python3', ['-m', 'venv', dir], log);
      await runLogged(
        join(dir, 'bin', 'pip'),
        ['install', '--disable-pip-version-check', '-q', '-r', requirements],
        log,
      );
    },
  };
}

/** What `tempo --version` reports: v2.8.0-rc.0 plus two commits (see stack/tools/tempo/go.mod). */
const TEMPO_RELEASE = '2.8.0-rc.0-87c2dc380cec';

export const versions = {
  temporal: '1.5.1',
  /** The server library of that CLI with a TLS frontend (stack/tools/temporal-tls-server); bump -N on a change there. */
  temporalTlsServer: '1.5.1-1',
  /** Server, temporal-sql-tool and UI server of that CLI, for the cluster profile; -N as above. */
  temporalCluster: '1.29.1-1',
  toxiproxy: '2.12.0',
  k6: '1.8.1',
  tempo: '2.8.0-rc.0-20250529',
  prometheus: '2.42.0+ds-5+deb12u1',
  alertmanager: '0.28.1',
  kafka: '4.4.0',
  schemaRegistry: '2.6.13.Final',
  supervisor: '4.3.0',
  dockerCompose: '1.29.2-3',
} as const;

/**
 * Debian's docker-compose, only to validate docker-compose.yml (`config -q`; there is no Docker engine).
 * The .deb is Python for Debian's /usr/bin/python3 and needs its python3-* dependencies, which are
 * unpacked beside it and put on PYTHONPATH by a wrapper. PyPI's docker-compose 1.29.2 is no way round:
 * it pins PyYAML 5.x, whose sdist no longer builds on Python 3.11 (Cython 3: no `cython_sources`).
 */
const DOCKER_COMPOSE_PYTHON_DEPS = [
  'python3-attr',
  'python3-cached-property',
  'python3-certifi',
  'python3-chardet',
  'python3-charset-normalizer',
  'python3-distro',
  'python3-distutils',
  'python3-docker',
  'python3-dockerpty',
  'python3-docopt',
  'python3-dotenv',
  'python3-idna',
  'python3-importlib-metadata',
  'python3-jsonschema',
  'python3-lib2to3',
  'python3-more-itertools',
  'python3-pkg-resources',
  'python3-pyrsistent',
  'python3-requests',
  'python3-six',
  'python3-texttable',
  'python3-typing-extensions',
  'python3-urllib3',
  'python3-websocket',
  'python3-yaml',
  'python3-zipp',
];

function debianComposeTool(): Tool<'docker-compose'> {
  const dir = toolDir('docker-compose', versions.dockerCompose);
  return {
    name: 'docker-compose',
    version: versions.dockerCompose,
    source: `Debian package docker-compose=${versions.dockerCompose} and its python3-* dependencies`,
    lane: 'other',
    dir,
    bins: { 'docker-compose': join(dir, 'bin', 'docker-compose') },
    async install({ dir, log }) {
      const debs = join(dir, 'debs');
      mkdirSync(debs, { recursive: true });
      const packages = [`docker-compose=${versions.dockerCompose}`, ...DOCKER_COMPOSE_PYTHON_DEPS];
      const download = (): Promise<void> =>
        runLogged('apt-get', ['download', ...packages], log, { cwd: debs });
      try {
        await download();
      } catch (err) {
        if (!(err instanceof CommandError)) throw err;
        await runLogged('apt-get', ['update', '-qq'], log);
        await download();
      }
      for (const deb of readdirSync(debs).filter((f) => f.endsWith('.deb'))) {
        await runLogged('dpkg-deb', ['-x', join(debs, deb), join(dir, 'root')], log);
      }
      rmSync(debs, { recursive: true, force: true });
      const root = join(dir, 'root', 'usr', 'lib');
      mkdirSync(join(dir, 'bin'), { recursive: true });
      writeFileSync(
        join(dir, 'bin', 'docker-compose'),
        [
          '#!/bin/sh',
          '# Debian docker-compose on Debian python3, its dependencies from this folder (stack/tools.ts).',
          `PYTHONPATH="${join(root, 'python3', 'dist-packages')}:${join(root, 'python3.11')}" \\`,
          `  exec /usr/bin/python3 "${join(dir, 'root', 'usr', 'bin', 'docker-compose')}" "$@"`,
          '',
        ].join('\n'),
        { mode: 0o755 },
      );
    },
  };
}

export const tools = {
  temporal: goInstallTool('temporal', versions.temporal, {
    temporal: `github.com/temporalio/cli/cmd/temporal@v${versions.temporal}`,
  }),
  toxiproxy: goInstallTool('toxiproxy', versions.toxiproxy, {
    'toxiproxy-server': `github.com/Shopify/toxiproxy/v2/cmd/server@v${versions.toxiproxy}`,
    'toxiproxy-cli': `github.com/Shopify/toxiproxy/v2/cmd/cli@v${versions.toxiproxy}`,
  }),
  k6: goInstallTool('k6', versions.k6, { k6: `go.k6.io/k6@v${versions.k6}` }),
  tempo: defineTool({
    name: 'tempo',
    version: versions.tempo,
    source:
      'Go module proxy, built through the wrapper module stack/tools/tempo (repeats Tempo’s replace directives)',
    lane: 'go',
    dir: toolDir('tempo', versions.tempo),
    bins: { tempo: join(toolDir('tempo', versions.tempo), 'bin', 'tempo') },
    async install({ dir, log }) {
      const ldflags = `-s -w -X main.Version=${TEMPO_RELEASE} -X main.Revision=${TEMPO_RELEASE.split('-').pop()} -X main.Branch=main`;
      const args = [
        'build',
        '-trimpath',
        '-ldflags',
        ldflags,
        '-o',
        join(dir, 'bin', 'tempo'),
        'github.com/grafana/tempo/cmd/tempo',
      ];
      await runLogged('go', args, log, {
        cwd: join(repoRoot, 'stack', 'tools', 'tempo'),
        env: goEnv(),
      });
    },
  }),
  // For the security tests only: `temporal server start-dev` has no TLS flags, so this runs the same server
  // library with a TLS (and mTLS / API-key) frontend. Built from the Go module cache the CLI build filled.
  temporalTlsServer: defineTool({
    name: 'temporal-tls-server',
    version: versions.temporalTlsServer,
    source:
      'Go module proxy, built from stack/tools/temporal-tls-server (go.temporal.io/server as the CLI pins it)',
    lane: 'go',
    dir: toolDir('temporal-tls-server', versions.temporalTlsServer),
    bins: {
      'temporal-tls-server': join(
        toolDir('temporal-tls-server', versions.temporalTlsServer),
        'bin',
        'temporal-tls-server',
      ),
    },
    async install({ dir, log }) {
      await runLogged('go', ['build', '-o', join(dir, 'bin', 'temporal-tls-server'), '.'], log, {
        cwd: join(repoRoot, 'stack', 'tools', 'temporal-tls-server'),
        env: { ...process.env, GOFLAGS: '-mod=mod' },
      });
    },
  }),
  // The cluster profile (stack/cluster/): the server's own entry point (one process per service), the SQL
  // schema tool and the UI server, from stack/tools/temporal-cluster/go.mod's `tool` packages.
  temporalCluster: goModuleTools('temporal-cluster', versions.temporalCluster, {
    'temporal-server': 'go.temporal.io/server/cmd/server',
    'temporal-sql-tool': 'go.temporal.io/server/cmd/tools/sql',
    'temporal-ui-server': 'github.com/temporalio/ui-server/v2/cmd/server',
  }),
  prometheus: debianTool('prometheus', 'prometheus', versions.prometheus, {
    prometheus: 'usr/bin/prometheus',
    promtool: 'usr/bin/promtool',
  }),
  // Built from the Go module proxy: Debian's 0.25 build looks for its default template under /usr/share.
  alertmanager: goInstallTool('alertmanager', versions.alertmanager, {
    alertmanager: `github.com/prometheus/alertmanager/cmd/alertmanager@v${versions.alertmanager}`,
    amtool: `github.com/prometheus/alertmanager/cmd/amtool@v${versions.alertmanager}`,
  }),
  kafka: defineTool({
    name: 'kafka',
    version: versions.kafka,
    source: 'Maven Central (stack/tools/kafka/pom.xml: kafka_2.13 and its runtime dependencies)',
    lane: 'other',
    dir: toolDir('kafka', versions.kafka),
    bins: { libs: join(toolDir('kafka', versions.kafka), 'libs') },
    async install({ dir, log }) {
      await runLogged(
        'mvn',
        [
          '-B',
          '-q',
          '-f',
          join(repoRoot, 'stack', 'tools', 'kafka', 'pom.xml'),
          'dependency:copy-dependencies',
          '-DincludeScope=runtime',
          `-DoutputDirectory=${join(dir, 'libs')}`,
        ],
        log,
      );
    },
  }),
  schemaRegistry: defineTool({
    name: 'apicurio-registry',
    version: versions.schemaRegistry,
    source:
      'Maven Central (stack/tools/schema-registry/pom.xml: io.apicurio:apicurio-registry-app, classifier all)',
    lane: 'other',
    dir: toolDir('apicurio-registry', versions.schemaRegistry),
    bins: {
      jar: join(
        toolDir('apicurio-registry', versions.schemaRegistry),
        `apicurio-registry-app-${versions.schemaRegistry}-runner.jar`,
      ),
    },
    async install({ dir, log }) {
      await runLogged(
        'mvn',
        [
          '-B',
          '-q',
          '-f',
          join(repoRoot, 'stack', 'tools', 'schema-registry', 'pom.xml'),
          'dependency:unpack',
          `-Dregistry.dir=${dir}`,
        ],
        log,
      );
    },
  }),
  supervisor: pythonTool(
    'supervisor',
    versions.supervisor,
    join(repoRoot, 'stack', 'tools', 'supervisor', 'requirements.txt'),
    ['supervisord', 'supervisorctl'],
  ),
  dockerCompose: debianComposeTool(),
} as const satisfies Record<string, Tool>;

export type ToolName = keyof typeof tools;

const marker = (tool: Tool): string => join(tool.dir, '.installed');

export function isInstalled(tool: Tool): boolean {
  return existsSync(marker(tool)) && Object.values(tool.bins).every((bin) => existsSync(bin));
}

/** Installs from scratch into the tool's folder; the marker is written last, so a half-done install is redone. */
export async function install(tool: Tool, log: string): Promise<void> {
  rmSync(tool.dir, { recursive: true, force: true });
  mkdirSync(tool.dir, { recursive: true });
  await tool.install({ dir: tool.dir, log });
  const missing = Object.values(tool.bins).filter((bin) => !existsSync(bin));
  if (missing.length > 0) throw new Error(`installed, but missing: ${missing.join(', ')}`);
  writeFileSync(marker(tool), `${tool.name} ${tool.version}\n${tool.source}\n${new Date().toISOString()}\n`);
}
