// docker-compose.yml, without a Docker engine: Debian's docker-compose validates it (`config -q`), the
// configs its `configs` service renders from the native stack's templates pass their own tools' checks
// (promtool, amtool, tempo -config.verify), and its images and ports are the native stack's.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeComposeConfigs } from './render-configs.ts';
import { repoRoot } from '../../platform/paths.ts';
import { portSpecs } from '../../platform/ports.ts';
import { isInstalled, tools, versions } from '../../stack/tools.ts';

const run = promisify(execFile);
const composeFile = join(repoRoot, 'docker-compose.yml');

/** Runs a tool; a non-zero exit fails with the tool's own stderr. */
async function check(bin: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(bin, args, { cwd: repoRoot });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${bin} ${args.join(' ')} failed:\n${e.stderr || e.stdout || e.message}`);
  }
}

function requireTool(tool: (typeof tools)[keyof typeof tools]): void {
  if (!isInstalled(tool))
    throw new Error(`${tool.name} is not installed; run \`npm run setup -- ${tool.name}\``);
}

interface ComposeService {
  image: string;
  ports?: string[];
}

describe('docker-compose.yml', () => {
  const dockerCompose = tools.dockerCompose.bins['docker-compose'];
  let rendered: string;
  beforeAll(() => {
    rendered = mkdtempSync(join(tmpdir(), 'orderflow-compose-'));
    writeComposeConfigs(rendered, {});
  });
  afterAll(() => rmSync(rendered, { recursive: true, force: true }));

  it('when Debian’s docker-compose 1.29.2 validates it, then `config -q` passes', async () => {
    requireTool(tools.dockerCompose);
    expect(await check(dockerCompose, ['version', '--short'])).toContain('1.29.2');
    await check(dockerCompose, ['-f', composeFile, 'config', '-q']);
  });

  it('when its images and published ports are read, then they are the native stack’s versions and ports', async () => {
    requireTool(tools.dockerCompose);
    const { services } = load(await check(dockerCompose, ['-f', composeFile, 'config'])) as {
      services: Record<string, ComposeService>;
    };
    const image = (name: string): string => services[name]?.image ?? `(no service ${name})`;
    expect(image('temporal')).toBe(`temporalio/temporal:${versions.temporal}`);
    expect(image('kafka')).toBe(`apache/kafka:${versions.kafka}`);
    expect(image('schema-registry')).toBe(`apicurio/apicurio-registry-mem:${versions.schemaRegistry}`);
    expect(image('prometheus')).toBe(`prom/prometheus:v${versions.prometheus.split('+')[0]}`);
    expect(image('alertmanager')).toBe(`prom/alertmanager:v${versions.alertmanager}`);
    expect(image('toxiproxy')).toBe(`ghcr.io/shopify/toxiproxy:${versions.toxiproxy}`);
    // The native stack's Tempo is 2.8.0-rc.0 plus two commits; 2.8.0 is its release.
    expect(image('tempo')).toBe(`grafana/tempo:${versions.tempo.split('-')[0]}`);
    const nodeVersion = (
      JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
        devDependencies: Record<string, string>;
      }
    ).devDependencies.node;
    expect(image('configs')).toBe(`node:${nodeVersion}-bookworm-slim`);

    // docker-compose 1.29 prints a port as `host_ip:published:target/protocol`.
    const published = (name: string): number[] =>
      (services[name]?.ports ?? []).map((port) => {
        const [, hostIp, outside, inside] = /^(?:([\d.]+):)?(\d+):(\d+)(?:\/\w+)?$/.exec(port) ?? [];
        expect(hostIp, `${name} ${port}: published on loopback only`).toBe('127.0.0.1');
        expect(outside, `${name} ${port}: same port inside and out`).toBe(inside);
        return Number(inside);
      });
    expect(published('temporal')).toEqual([portSpecs.temporal.default, portSpecs.temporalUi.default]);
    expect(published('kafka')).toEqual([portSpecs.kafka.default]);
    expect(published('schema-registry')).toEqual([portSpecs.schemaRegistry.default]);
    expect(published('toxiproxy')).toEqual([portSpecs.toxiproxy.default, portSpecs.kafkaProxied.default]);
    expect(published('tempo')).toEqual([portSpecs.tempoHttp.default]);
    expect(published('otel-collector')).toEqual([portSpecs.otlpGrpc.default, portSpecs.otlpHttp.default]);
    expect(published('prometheus')).toEqual([portSpecs.prometheus.default]);
    expect(published('alertmanager')).toEqual([portSpecs.alertmanager.default]);
    expect(published('grafana')).toEqual([3000]);
  });

  it('when the compose configs are rendered from the native templates, then promtool, amtool and Tempo accept them', async () => {
    requireTool(tools.prometheus);
    requireTool(tools.alertmanager);
    requireTool(tools.tempo);
    const prometheusYml = join(rendered, 'prometheus', 'prometheus.yml');
    expect(await check(tools.prometheus.bins.promtool, ['check', 'config', prometheusYml])).toContain(
      'SUCCESS',
    );
    expect(readFileSync(prometheusYml, 'utf8')).not.toContain('127.0.0.1');
    await check(tools.alertmanager.bins.amtool, [
      'check-config',
      join(rendered, 'alertmanager', 'alertmanager.yml'),
    ]);
    await check(tools.tempo.bins.tempo, [
      `-config.file=${join(rendered, 'tempo', 'tempo.yaml')}`,
      '-config.verify=true',
    ]);
    const kafka = readFileSync(join(rendered, 'kafka', 'server.properties'), 'utf8');
    expect(kafka).toMatch(/^listeners=PLAINTEXT:\/\/0\.0\.0\.0:9092,CHAOS:\/\/0\.0\.0\.0:9094,/m);
    expect(kafka).toMatch(
      /^advertised\.listeners=PLAINTEXT:\/\/127\.0\.0\.1:9092,CHAOS:\/\/127\.0\.0\.1:19092,/m,
    );
    expect(JSON.parse(readFileSync(join(rendered, 'toxiproxy', 'proxies.json'), 'utf8'))).toEqual([
      { name: 'kafka', listen: '0.0.0.0:19092', upstream: 'kafka:9094', enabled: true },
    ]);
  });

  it('when the Collector config is read, then every pipeline uses defined components and traces go to Tempo', () => {
    const config = load(
      readFileSync(join(repoRoot, 'observability', 'otel-collector', 'config.yaml'), 'utf8'),
    ) as {
      receivers: Record<string, { protocols?: Record<string, { endpoint: string }> }>;
      processors: Record<string, unknown>;
      exporters: Record<string, { endpoint?: string }>;
      connectors: Record<string, unknown>;
      service: {
        pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }>;
      };
    };
    const defined = {
      receivers: new Set([...Object.keys(config.receivers), ...Object.keys(config.connectors)]),
      processors: new Set(Object.keys(config.processors)),
      exporters: new Set([...Object.keys(config.exporters), ...Object.keys(config.connectors)]),
    };
    for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
      for (const kind of ['receivers', 'processors', 'exporters'] as const) {
        for (const id of pipeline[kind] ?? [])
          expect(defined[kind].has(id), `${name}: ${kind} ${id}`).toBe(true);
      }
    }
    expect(config.receivers.otlp?.protocols?.grpc?.endpoint).toBe(`0.0.0.0:${portSpecs.otlpGrpc.default}`);
    expect(config.receivers.otlp?.protocols?.http?.endpoint).toBe(`0.0.0.0:${portSpecs.otlpHttp.default}`);
    expect(config.exporters['otlp/tempo']?.endpoint).toBe('tempo:4317');
    expect(config.service.pipelines.traces?.exporters).toContain('otlp/tempo');
  });
});
