import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capture } from '../../stack/exec.ts';
import { host, tools } from '../support/stack.ts';

describe('k6', () => {
  let server: Server;
  let served = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      served++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
  });
  afterAll(() => void server.close());

  it('when a short script runs against a local endpoint, then its summary counts every request and its checks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderflow-k6-'));
    const script = join(dir, 'smoke.js');
    const summary = join(dir, 'summary.json');
    const target = `http://${host}:${(server.address() as AddressInfo).port}/`;
    writeFileSync(
      script,
      `import http from 'k6/http';
import { check } from 'k6';
export const options = { vus: 2, iterations: 20, thresholds: { checks: ['rate==1'] } };
export default function () {
  const res = http.get(__ENV.TARGET);
  check(res, { 'status is 200': (r) => r.status === 200 });
}
`,
    );
    await capture(tools.k6.bins.k6, [
      'run',
      '--quiet',
      '--no-usage-report',
      '--summary-export',
      summary,
      '-e',
      `TARGET=${target}`,
      script,
    ]);

    const result = JSON.parse(readFileSync(summary, 'utf8')) as {
      metrics: { http_reqs: { count: number }; checks: { passes: number; fails: number } };
    };
    expect(result.metrics.http_reqs.count).toBe(20);
    expect(result.metrics.checks).toMatchObject({ passes: 20, fails: 0 });
    expect(served).toBe(20);
  });
});
