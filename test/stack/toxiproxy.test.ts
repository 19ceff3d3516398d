import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type AddressInfo } from 'node:net';
import { Toxiproxy, type Proxy, type Latency } from 'toxiproxy-node-client';
import { host, uniqueId, urls } from '../support/stack.ts';

/** Median time for a line to go to an echo server and back, over a fresh TCP connection each time. */
async function roundTripMs(port: number, samples = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host, port }, () => socket.write('ping\n'));
      socket.once('data', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', reject);
    });
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(samples / 2)]!;
}

describe('Toxiproxy', () => {
  let echo: Server;
  let proxy: Proxy;

  beforeAll(async () => {
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, host, resolve));
    const upstream = `${host}:${(echo.address() as AddressInfo).port}`;
    proxy = await new Toxiproxy(urls.toxiproxy).createProxy({
      name: uniqueId('smoke-echo'),
      listen: `${host}:0`,
      upstream,
    });
  });

  afterAll(async () => {
    await proxy?.remove();
    echo?.close();
  });

  it('when a latency toxic is added, then a proxied round trip slows by it, and removing it restores the time', async () => {
    const port = Number(proxy.listen.split(':').pop());
    const baseline = await roundTripMs(port);

    const toxic = await proxy.addToxic<Latency>({
      name: 'smoke-latency',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 300, jitter: 0 },
    });
    const delayed = await roundTripMs(port);
    await toxic.remove();
    const restored = await roundTripMs(port);

    expect(delayed).toBeGreaterThanOrEqual(300);
    expect(delayed - baseline).toBeGreaterThanOrEqual(280);
    expect(restored).toBeLessThan(delayed - 250);
  });
});
