import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { type TaxResult } from './tax.ts';
import { startService, tempDir, type TempDir } from '../../test/support/services.ts';

const main = join(import.meta.dirname, 'main.ts');
let dir: TempDir;

beforeEach(() => {
  dir = tempDir('tax-service-main');
});
afterEach(() => dir.remove());

it('when the process is restarted, then a rate changed before the restart is kept', async () => {
  const first = await startService(main, { DATA_DIR: dir.path });
  const changed = await fetch(`${first.url}/rates/US-NY`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ratePercent: 8.88 }),
  });
  expect(changed.status).toBe(200);
  expect(await first.stop()).toBe(0);

  const second = await startService(main, { DATA_DIR: dir.path });
  try {
    const res = await fetch(`${second.url}/tax`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ country: 'US', postalCode: '10001', amountCents: 10_000 }),
    });
    expect((await res.json()) as TaxResult).toEqual({
      jurisdiction: 'US-NY',
      ratePercent: 8.88,
      taxCents: 888,
    });
  } finally {
    await second.stop();
  }
});
