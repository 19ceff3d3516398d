import { describe, expect, it } from 'vitest';
import { ORDER_EVENT_NAMESPACE, orderEventId, uuidV5 } from './event-id.ts';
import { EVENT_TYPES } from './types.ts';

describe('event ids', () => {
  it('when a name is hashed in the DNS namespace, then the well-known UUIDv5 test vector comes out', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('when the same order outcome is identified twice, then the id is the same; another order or outcome, then it differs', () => {
    const id = orderEventId(EVENT_TYPES.orderCompleted, 'ord-1');
    expect(orderEventId(EVENT_TYPES.orderCompleted, 'ord-1')).toBe(id);
    expect(orderEventId(EVENT_TYPES.orderCompleted, 'ord-2')).not.toBe(id);
    expect(orderEventId(EVENT_TYPES.orderFailed, 'ord-1')).not.toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV5(`OrderCompleted/ord-1`, ORDER_EVENT_NAMESPACE)).toBe(id);
  });
});
