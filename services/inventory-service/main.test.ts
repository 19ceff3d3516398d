import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { type ReservationView } from './reservations.ts';
import { type StockView } from './stock.ts';
import { startService, tempDir, type TempDir } from '../../test/support/services.ts';

const main = join(import.meta.dirname, 'main.ts');
let dir: TempDir;

beforeEach(() => {
  dir = tempDir('inventory-service-main');
});
afterEach(() => dir.remove());

it('when the process is restarted, then a reservation made before the restart is still held', async () => {
  const first = await startService(main, { DATA_DIR: dir.path });
  const created = await fetch(`${first.url}/reservations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reservationId: 'r-restart', items: [{ sku: 'sku-limited', quantity: 2 }] }),
  });
  expect(created.status).toBe(201);
  expect(await first.stop()).toBe(0);

  const second = await startService(main, { DATA_DIR: dir.path });
  try {
    const reservation = (await (
      await fetch(`${second.url}/reservations/r-restart`)
    ).json()) as ReservationView;
    expect(reservation.status).toBe('held');
    const stock = (await (await fetch(`${second.url}/stock/sku-limited`)).json()) as StockView;
    expect(stock).toMatchObject({ onHand: 3, reserved: 2, available: 1 });
  } finally {
    await second.stop();
  }
});

it('when INVENTORY_LOCK_DELAY_MS is set, then a reservation write takes at least that long', async () => {
  const service = await startService(main, { DATA_DIR: dir.path, INVENTORY_LOCK_DELAY_MS: '300' });
  try {
    const began = Date.now();
    const res = await fetch(`${service.url}/reservations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reservationId: 'r-slow', items: [{ sku: 'sku-widget', quantity: 1 }] }),
    });
    expect(res.status).toBe(201);
    expect(Date.now() - began).toBeGreaterThanOrEqual(295);
  } finally {
    await service.stop();
  }
});
