// The lag drill's copies: the original message with the drill header instead of the trace headers.
import { describe, expect, it } from 'vitest';
import { DRILL_HEADER, drillCopyHeaders } from './lag-events.ts';

describe('copies of an event for the lag drill', () => {
  it('when headers are copied, then the trace headers are dropped, the rest kept and the drill header added', () => {
    const original = {
      'event-id': Buffer.from('e-1'),
      'event-type': Buffer.from('OrderCompleted'),
      traceparent: Buffer.from('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'),
      tracestate: Buffer.from('x=1'),
    };
    expect(drillCopyHeaders(original, 'drill-1')).toEqual({
      'event-id': original['event-id'],
      'event-type': original['event-type'],
      [DRILL_HEADER]: 'drill-1',
    });
    expect(drillCopyHeaders(undefined, 'drill-2')).toEqual({ [DRILL_HEADER]: 'drill-2' });
  });
});
