import { createServer, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient } from './kafka.ts';

describe('schema registry client', () => {
  const sockets: Socket[] = [];
  const silent = createServer((s) => sockets.push(s)); // accepts, never answers
  afterAll(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });

  it('when the registry accepts connections but never answers, then a request fails after its timeout instead of hanging', async () => {
    const port = await new Promise<number>((resolve) =>
      silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)),
    );
    const registry = createSchemaRegistryClient(`http://127.0.0.1:${port}`, 300);

    const started = Date.now();
    await expect(registry.getSchema(1)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000); // 3 attempts of 300 ms plus short backoffs
  });
});
