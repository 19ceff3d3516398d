// A small /metrics endpoint for processes that have no HTTP server of their own (the Temporal workers):
// node:http, the registry's OpenMetrics text, and the Prometheus file_sd target written while it listens
// (platform/scrape-targets.ts), removed on close or exit.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { removeScrapeTarget, writeScrapeTarget } from '../../platform/scrape-targets.ts';
import type { MetricsRegistry } from './definitions.ts';

export interface MetricsServer {
  readonly port: number;
  readonly targetFile: string | undefined;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  readonly registry: MetricsRegistry;
  /** The Prometheus job label of the target file (`<job>.json`). */
  readonly job: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Where the file_sd target goes; the stack's targets folder by default, `false` writes none. */
  readonly targetsDir?: string | false;
}

export async function serveMetrics(options: MetricsServerOptions): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    options.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const targetFile =
    options.targetsDir === false ? undefined : writeScrapeTarget(options.job, host, port, options.targetsDir);
  const remove = (): void => {
    if (targetFile) removeScrapeTarget(targetFile);
  };
  process.once('exit', remove);
  return {
    port,
    targetFile,
    close: async () => {
      remove();
      process.off('exit', remove);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
