// State and idempotency keys live in the SQLite file: closing the gateway and opening the file again
// (a restart) keeps intents, charges, refunds and stored responses.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/sqlite.ts';
import { fingerprint } from './idempotency.ts';
import { migrations } from './store.ts';
import { serverSide, startGateway, type TempDir, tempDir } from '../../test/support/payment-gateway.ts';

let dir: TempDir;
beforeEach(() => {
  dir = tempDir('payment-gateway');
});
afterEach(() => dir.remove());

describe('restart', () => {
  it('when the gateway is closed and the file reopened, then intents, refunds and idempotency keys are all still there', async () => {
    const file = dir.file('payment-gateway.db');
    const before = await startGateway({ file });
    const params = {
      amount: 6000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual' as const,
      ...serverSide,
    };
    const pi = await before.stripe().paymentIntents.create(params, { idempotencyKey: 'wf-restart' });
    await before.stripe().paymentIntents.capture(pi.id, { amount_to_capture: 5000 });
    const refund = await before.stripe().refunds.create({ payment_intent: pi.id, amount: 1500 });
    await before.close();

    const after = await startGateway({ file });
    try {
      const stripe = after.stripe();
      expect(await stripe.paymentIntents.retrieve(pi.id)).toMatchObject({
        status: 'succeeded',
        amount_received: 5000,
        metadata: {},
      });
      expect(await stripe.refunds.retrieve(refund.id)).toMatchObject({ amount: 1500, payment_intent: pi.id });
      // The balance carried over: 3500 of the 5000 captured is left to refund.
      await expect(stripe.refunds.create({ payment_intent: pi.id, amount: 3501 })).rejects.toMatchObject({
        code: 'amount_too_large',
      });
      const replay = await stripe.paymentIntents.create(params, { idempotencyKey: 'wf-restart' });
      expect(replay.id).toBe(pi.id);
      expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect((await stripe.paymentIntents.list()).data).toHaveLength(1);
    } finally {
      await after.close();
    }
  });

  it('when a process died with a key in flight, then the next process takes the key over instead of answering 409 forever', async () => {
    const file = dir.file('payment-gateway.db');
    const db = openDatabase(file, migrations);
    const first = await startGateway({ file });
    // What a crash mid-request leaves behind: the key row, no response, owned by another process.
    const scope = createHash('sha256').update('sk_test_orderflow').digest('hex').slice(0, 32);
    const body = { amount: '1000', currency: 'usd' };
    db.prepare(
      'INSERT INTO idempotency_keys (scope, key, method, path, fingerprint, owner, request_id, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      scope,
      'k-crashed',
      'POST',
      '/v1/payment_intents',
      fingerprint(body),
      'a-dead-process',
      'req_dead',
      Date.now(),
    );
    db.close();
    try {
      const pi = await first
        .stripe()
        .paymentIntents.create({ amount: 1000, currency: 'usd' }, { idempotencyKey: 'k-crashed' });
      expect(pi.status).toBe('requires_payment_method');
      expect(pi.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    } finally {
      await first.close();
    }
  });
});
