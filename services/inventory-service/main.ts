// Process entry point: configuration, the SQLite file (kept across restarts), demo stock, the expiry
// sweep, then HTTP.
import { z } from 'zod';
import { loadConfig } from '../../platform/config.ts';
import { serve } from '../../platform/http.ts';
import { openServiceDatabase, serviceConfig } from '../../platform/service.ts';
import { downstream } from '../../platform/downstream.ts';
import { buildApp } from './app.ts';
import { expireDueReservations } from './reservations.ts';
import { seed } from './seed.ts';
import { inventoryStore, migrations } from './store.ts';

const SERVICE = downstream.inventory;
const millis = (fallback: number) => z.coerce.number().int().min(0).max(600_000).default(fallback);

const config = loadConfig(SERVICE.name, {
  ...serviceConfig(SERVICE),
  /** Added to every reservation write while it holds the stock lock; 0 is a healthy service. */
  INVENTORY_LOCK_DELAY_MS: millis(0),
  /** How often expired holds are written down as expired (queries never wait for it). */
  RESERVATION_SWEEP_MS: millis(30_000),
});

const db = openServiceDatabase(config.DATA_DIR, SERVICE, migrations);
const seeded = seed(db);
const app = buildApp({ db, lockDelayMs: config.INVENTORY_LOCK_DELAY_MS });
if (seeded > 0) app.log.info({ seeded }, 'seeded demo stock');
if (config.INVENTORY_LOCK_DELAY_MS > 0)
  app.log.warn({ delayMs: config.INVENTORY_LOCK_DELAY_MS }, 'inventory lock delay on');

const store = inventoryStore(db);
const sweep = (): void => {
  try {
    const expired = expireDueReservations(db, store, new Date());
    if (expired > 0) app.log.info({ expired }, 'expired reservations swept');
  } catch (err) {
    // A missed sweep only delays bookkeeping; the next one catches up.
    app.log.error({ err }, 'reservation sweep failed');
  }
};
sweep();
const sweeper =
  config.RESERVATION_SWEEP_MS > 0 ? setInterval(sweep, config.RESERVATION_SWEEP_MS).unref() : undefined;

await serve(app, {
  job: SERVICE.name,
  host: config.HOST,
  port: config.PORT,
  onClose: () => {
    clearInterval(sweeper);
    db.close();
  },
});
