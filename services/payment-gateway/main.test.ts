// The real process: configuration from the environment, the database file under DATA_DIR, and a restart
// that keeps state and idempotency keys, seen through the stripe SDK.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import Stripe from 'stripe';
import { serverSide, startProcess, type TempDir, tempDir } from '../../test/support/payment-gateway.ts';

let dir: TempDir;
beforeEach(() => {
  dir = tempDir('payment-gateway-main');
});
afterEach(() => dir.remove());

const client = (port: number): Stripe =>
  new Stripe('sk_test_orderflow', {
    host: '127.0.0.1',
    port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });

it('when the process is restarted, then an intent created before is still there and its key still replays', async () => {
  const params: Stripe.PaymentIntentCreateParams = {
    amount: 2500,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    confirm: true,
    ...serverSide,
  };
  const first = await startProcess({ DATA_DIR: dir.path });
  const pi = await client(first.port).paymentIntents.create(params, { idempotencyKey: 'wf-process-restart' });
  expect(await first.stop()).toBe(0);
  expect(existsSync(join(dir.path, 'payment-gateway.db'))).toBe(true);

  const second = await startProcess({ DATA_DIR: dir.path });
  try {
    const stripe = client(second.port);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
    const replay = await stripe.paymentIntents.create(params, { idempotencyKey: 'wf-process-restart' });
    expect(replay.id).toBe(pi.id);
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
  } finally {
    await second.stop();
  }
});
