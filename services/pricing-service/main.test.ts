import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { type Quote } from './quotes.ts';
import { startService, tempDir, type TempDir } from '../../test/support/services.ts';

const main = join(import.meta.dirname, 'main.ts');
let dir: TempDir;

beforeEach(() => {
  dir = tempDir('pricing-service-main');
});
afterEach(() => dir.remove());

it('when the process is restarted, then a price changed before the restart is kept', async () => {
  const first = await startService(main, { DATA_DIR: dir.path });
  const changed = await fetch(`${first.url}/prices/sku-widget`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ unitPriceCents: 2222 }),
  });
  expect(changed.status).toBe(200);
  expect(await first.stop()).toBe(0);

  const second = await startService(main, { DATA_DIR: dir.path });
  try {
    const res = await fetch(`${second.url}/quotes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ sku: 'sku-widget', quantity: 1 }] }),
    });
    expect(((await res.json()) as Quote).totalBeforeTaxCents).toBe(2222);
  } finally {
    await second.stop();
  }
});
