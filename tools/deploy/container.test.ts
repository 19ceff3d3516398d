// The Dockerfile and docker-compose.yml's orderflow services, offline: the Dockerfile passes a linter
// (dockerfile-utils, the validator of the Docker language server; hadolint is a Haskell binary no registry
// here ships) and a broken one does not; its base image is the Node version package.json pins; the image
// carries every layer a process imports; and compose runs every orderflow process from it with a health
// check. `docker-compose config -q` itself runs in tools/compose/compose.test.ts.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { validate } from 'dockerfile-utils';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/paths.ts';
import { downstream } from '../../platform/downstream.ts';
import { consumers, lagExporter } from '../../consumers/registry.ts';

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const lint = (text: string) =>
  validate(text).map(
    (d) => `line ${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`,
  );

/** Folders the runtime stage copies (`COPY … platform ./platform`). */
const copiedDirs = [...dockerfile.matchAll(/^COPY --chown=\S+ (\w[\w-]*) \.\/\1$/gm)].map((m) => m[1]!);

const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'node_modules'
        ? []
        : tsFiles(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );

describe('Dockerfile', () => {
  it('when linted, then it has no problem', () => {
    expect(lint(dockerfile)).toEqual([]);
  });

  it('when a Dockerfile is broken, then the linter reports it', () => {
    const broken = `${dockerfile}\nFROM\nEXPOSE eighty\nWORKDIR app\nCMD ['node']\n`;
    const problems = lint(broken);
    expect(problems.join('\n')).toMatch(/Instruction has no arguments/);
    expect(problems.join('\n')).toMatch(/Invalid containerPort: eighty/);
    expect(problems.join('\n')).toMatch(/WORKDIR paths should be absolute/);
    expect(problems.join('\n')).toMatch(/using single quotes instead of double quotes/);
  });

  it('when its base image is read, then it is the Node 24 that package.json pins', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(dockerfile).toContain(`ARG NODE_IMAGE=node:${pkg.devDependencies.node}-bookworm-slim`);
    expect(pkg.devDependencies.node).toMatch(/^24\./);
  });

  it('when the copied layers are scanned, then no source in them imports a folder the image lacks', () => {
    expect(copiedDirs).toEqual(
      expect.arrayContaining([
        'platform',
        'observability',
        'contracts',
        'events',
        'consumers',
        'services',
        'workflows',
      ]),
    );
    const missing: string[] = [];
    for (const dir of copiedDirs) {
      const full = join(repoRoot, dir);
      if (!existsSync(full) || !statSync(full).isDirectory()) continue;
      for (const file of tsFiles(full)) {
        for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
          const target = relative(repoRoot, resolve(dirname(file), m[1]!));
          const top = target.split('/')[0]!;
          if (!copiedDirs.includes(top) && top !== 'package.json')
            missing.push(`${relative(repoRoot, file)} → ${target}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('docker-compose.yml: orderflow processes', () => {
  const compose = load(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
    services: Record<
      string,
      {
        build?: string;
        image?: string;
        command?: string[];
        healthcheck?: { test: string[] };
        network_mode?: string;
      }
    >;
  };
  const processes: [string, number | undefined][] = [
    ['order-api', 8080],
    ...Object.values(downstream).map((s): [string, number] => [s.name, s.port]),
    ...Object.values(consumers).map((c): [string, number] => [c.name, c.port]),
    [lagExporter.name, lagExporter.port],
    ['order-worker', 9401],
    ['fraud-worker', 9402],
    ['payment-worker', 9403],
  ];

  it.each(processes)(
    'when %s is read, then it runs from the Dockerfile with a health check on its port',
    (name, port) => {
      const s = compose.services[name];
      expect(s, `no service ${name}`).toBeDefined();
      expect(s?.build).toBe('.');
      expect(s?.image).toBe('orderflow:local');
      expect(s?.network_mode).toBe('host');
      expect(existsSync(join(repoRoot, s!.command![0]!)), `${name}: ${s?.command?.[0]}`).toBe(true);
      expect(s?.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${port}/`);
    },
  );
});
