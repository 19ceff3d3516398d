import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { startService, tempDir, type TempDir } from '../../test/support/services.ts';

const main = join(import.meta.dirname, 'main.ts');
let dir: TempDir;

beforeEach(() => {
  dir = tempDir('customer-service-main');
});
afterEach(() => dir.remove());

it('when the process is restarted, then a customer created before the restart is still there', async () => {
  const first = await startService(main, { DATA_DIR: dir.path });
  const created = await fetch(`${first.url}/customers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'cust-restart', name: 'Rita Restart', email: 'rita@example.com' }),
  });
  expect(created.status).toBe(201);
  expect(await first.stop()).toBe(0);

  const second = await startService(main, { DATA_DIR: dir.path });
  try {
    expect((await fetch(`${second.url}/customers/cust-restart`)).status).toBe(200);
    expect((await fetch(`${second.url}/customers/cust-alice`)).status).toBe(200);
  } finally {
    await second.stop();
  }
});
