// order-api's in-flight gauges, in-process with a scripted source of running orders.
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../observability/metrics/definitions.ts';
import { OPEN_STATUSES, registerOrderGauges, summarize, type OpenOrder } from './order-gauges.ts';

const now = new Date('2026-01-01T12:00:00Z');
const ago = (seconds: number): Date => new Date(now.getTime() - seconds * 1000);

describe('order gauges', () => {
  it('when orders are running, then counts and the oldest age are per status, every open status present', () => {
    const { inStatus } = summarize(
      [
        { orderId: 'ord-1', status: 'awaiting_review', since: ago(7200) },
        { orderId: 'ord-2', status: 'awaiting_review', since: ago(60) },
        { orderId: 'ord-3', status: 'processing_payment', since: ago(2) },
        { orderId: 'ord-4', status: 'completed', since: ago(1) }, // finished between listing and query: ignored
      ],
      now,
    );
    expect([...inStatus.keys()]).toEqual(OPEN_STATUSES);
    expect(inStatus.get('awaiting_review')).toEqual({ count: 2, oldestSeconds: 7200 });
    expect(inStatus.get('processing_payment')).toEqual({ count: 1, oldestSeconds: 2 });
    expect(inStatus.get('validating')).toEqual({ count: 0, oldestSeconds: 0 });
    expect(inStatus.has('completed')).toBe(false);
  });

  it('when scraped, then the four gauges come from one snapshot; when the source fails, the per-status ones are absent and the queue NaN', async () => {
    let calls = 0;
    let fail = false;
    const orders: OpenOrder[] = [
      { orderId: 'ord-5', status: 'awaiting_review', since: ago(300) },
      { orderId: 'ord-6', status: 'received', since: ago(5) },
    ];
    const registry = createRegistry();
    const errors: unknown[] = [];
    let clock = now.getTime(); // moved by hand: the snapshot cache never waits on the real clock
    registerOrderGauges(
      registry,
      () => {
        calls++;
        return fail ? Promise.reject(new Error('temporal down')) : Promise.resolve(orders);
      },
      { now: () => clock, onError: (err) => errors.push(err) },
    );
    const text = await registry.metrics();
    expect(calls).toBe(1);
    expect(text).toContain('orderflow_review_queue_size 1');
    expect(text).toContain('orderflow_review_queue_oldest_seconds 300');
    expect(text).toContain('orderflow_orders_in_status{status="received"} 1');
    expect(text).toContain('orderflow_order_oldest_in_status_seconds{status="received"} 5');
    expect(text).toContain('orderflow_orders_in_status{status="compensating"} 0');

    fail = true;
    clock += 1000; // still within the snapshot cache (1 s): the same snapshot, the source not asked
    expect(await registry.metrics()).toBe(text);
    expect(calls).toBe(1);

    clock += 1; // past it: a new snapshot, and the source fails
    const down = await registry.metrics();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
    expect(down).toMatch(/^orderflow_review_queue_size nan$/im); // prom-client writes Nan; Prometheus parses any case
    expect(down).toMatch(/^orderflow_review_queue_oldest_seconds nan$/im);
    expect(down).not.toContain('orderflow_orders_in_status{');
  });
});
