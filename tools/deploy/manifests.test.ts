// deploy/kubernetes/: the committed manifests are exactly what tools/deploy/render.ts renders from the
// single sources, every object validates against the schemas the project carries (offline), and a broken
// manifest fails that validation.
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return --
   the manifests are untyped YAML, read and deliberately broken field by field */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { loadAll, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/paths.ts';
import { renderManifests, RULES_SOURCE, type K8sObject } from './manifests.ts';
import { MANIFEST_DIR, renderedTexts } from './render.ts';
import { validateObject } from './validate.ts';

const committedFiles = (dir: string = MANIFEST_DIR): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? committedFiles(join(dir, e.name)) : [relative(MANIFEST_DIR, join(dir, e.name))],
  );

const committedObjects = (): { file: string; objects: K8sObject[] }[] =>
  committedFiles().map((file) => ({
    file,
    objects: loadAll(readFileSync(join(MANIFEST_DIR, file), 'utf8')).filter(Boolean) as K8sObject[],
  }));

const allObjects = () => committedObjects().flatMap(({ file, objects }) => objects.map((o) => ({ file, o })));

const workloads = () =>
  allObjects().filter(({ o }) => o.kind === 'Deployment' || o.kind === 'StatefulSet') as {
    file: string;
    o: K8sObject & {
      spec: { template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } };
    };
  }[];

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  it('when rendered again, then the committed files are identical and none is missing or extra', async () => {
    const rendered = await renderedTexts();
    expect(committedFiles().sort()).toEqual([...rendered.keys()].sort());
    for (const [path, text] of rendered)
      expect(
        readFileSync(join(MANIFEST_DIR, path), 'utf8'),
        `${path} is stale (a changed rules file or registry?): npm run deploy:render`,
      ).toBe(text);
  });

  it('when every committed object is validated against the Kubernetes, prometheus-operator and KEDA schemas, then none has a problem', () => {
    const problems = committedObjects().flatMap(({ file, objects }) =>
      objects.flatMap((o, i) => validateObject(o, `${file}#${i}`)),
    );
    expect(problems).toEqual([]);
    expect(allObjects().length).toBeGreaterThan(40);
  });

  it.each([
    [
      'a containerPort that is not a number',
      (d: any) => (d.spec.template.spec.containers[0].ports[0].containerPort = 'http'),
      /containerPort must be integer/,
    ],
    [
      'a Deployment without a selector',
      (d: any) => delete d.spec.selector,
      /must have required property selector/,
    ],
    [
      'a probe without its port',
      (d: any) => delete d.spec.template.spec.containers[0].livenessProbe.httpGet.port,
      /httpGet must have required property port/,
    ],
    [
      'resources that are not quantities',
      (d: any) => (d.spec.template.spec.containers[0].resources.limits = ['1']),
      /limits must be object/,
    ],
    ['an unknown kind', (d: any) => (d.kind = 'Deploymnet'), /no schema for apps\/v1\/Deploymnet/],
  ])('when a manifest has %s, then validation fails', (_what, breakIt, message) => {
    const broken = structuredClone(
      allObjects().find(({ o }) => o.kind === 'Deployment' && o.metadata.name === 'order-api')!.o,
    );
    expect(validateObject(broken, 'order-api')).toEqual([]);
    breakIt(broken);
    const problems = validateObject(broken, 'order-api');
    expect(problems.join('\n')).toMatch(message);
  });

  it('when a PrometheusRule rule has no expr, then validation fails', () => {
    const rule = structuredClone(allObjects().find(({ o }) => o.kind === 'PrometheusRule')!.o) as any;
    delete rule.spec.groups[0].rules[0].expr;
    expect(validateObject(rule, 'rule').join('\n')).toMatch(/must have required property expr/);
  });

  it('when the PrometheusRule is compared with alerts/rules/orderflow.rules.yml, then its groups are the same rules', () => {
    const source = load(readFileSync(join(repoRoot, RULES_SOURCE), 'utf8')) as { groups: unknown[] };
    const rule = allObjects().find(({ o }) => o.kind === 'PrometheusRule')!.o as unknown as {
      spec: { groups: unknown[] };
    };
    expect(rule.spec.groups).toEqual(source.groups);
  });

  it('when the rules select a job, then a workload of that name exists and a PodMonitor scrapes its component with job = its name', () => {
    const rules = readFileSync(join(repoRoot, RULES_SOURCE), 'utf8');
    const jobs = new Set(
      [...rules.matchAll(/job=~?"([^"]+)"/g)]
        .flatMap((m) => m[1]!.split('|'))
        .filter((j) => /^[a-z-]+$/.test(j)),
    );
    const names = new Map(
      workloads().map(({ o }) => [
        o.metadata.name,
        (o.metadata.labels as Record<string, string>)['app.kubernetes.io/component'],
      ]),
    );
    const monitors = allObjects()
      .filter(({ o }) => o.kind === 'PodMonitor')
      .map(({ o }) => o as any);
    for (const job of jobs) {
      expect(names.has(job), `no workload named ${job}`).toBe(true);
      const monitor = monitors.find(
        (m) => m.spec.selector.matchLabels['app.kubernetes.io/component'] === names.get(job),
      );
      expect(monitor, `no PodMonitor for ${job}`).toBeDefined();
      expect(monitor.spec.podMetricsEndpoints[0].relabelings[0].targetLabel).toBe('job');
    }
  });

  it('when a workload is rendered, then it has probes, resources, a grace period, a PDB and secrets only by reference', () => {
    const pdbs = new Set(
      allObjects()
        .filter(({ o }) => o.kind === 'PodDisruptionBudget')
        .map(({ o }) => o.metadata.name),
    );
    for (const { file, o } of workloads()) {
      const pod = o.spec.template.spec;
      const c = pod.containers[0]!;
      for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe', 'resources'])
        expect(c[key], `${file} ${o.metadata.name} ${key}`).toBeDefined();
      expect(pod.terminationGracePeriodSeconds, `${o.metadata.name}`).toBeGreaterThanOrEqual(15);
      if (!file.startsWith('demo/')) expect(pdbs.has(o.metadata.name), `${o.metadata.name} PDB`).toBe(true);
    }
    expect(allObjects().filter(({ o }) => o.kind === 'Secret')).toEqual([]);
  });

  it('when the workers are rendered, then each has its own Deployment and a KEDA ScaledObject on its task queue', () => {
    const scaled = allObjects()
      .filter(({ o }) => o.kind === 'ScaledObject')
      .map(({ o }) => o as any);
    const triggers = scaled.map((s) => [
      s.metadata.name,
      s.spec.triggers[0].type,
      s.spec.triggers[0].metadata.taskQueue,
    ]);
    expect(triggers.sort()).toEqual([
      ['fraud-worker', 'temporal', 'fraud-checks'],
      ['order-worker', 'temporal', 'order-processing'],
      ['payment-worker', 'temporal', 'payments'],
    ]);
    for (const s of scaled) expect(s.spec.triggers[0].metadata.namespace).toBe('orders-production');
  });

  it('when a kustomization lists resources, then each exists', () => {
    for (const f of renderManifests().filter((m) => m.path.endsWith('kustomization.yaml'))) {
      for (const r of (f.objects[0] as unknown as { resources: string[] }).resources)
        expect(existsSync(join(MANIFEST_DIR, dirname(f.path), r)), `${f.path}: ${r}`).toBe(true);
    }
  });
});
