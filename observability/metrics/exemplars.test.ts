import { describe, expect, it } from 'vitest';
import { Histogram } from 'prom-client';
import { createRegistry } from './definitions.ts';
import { observeWithTrace } from './exemplars.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('exemplars', () => {
  it('when an observation carries a trace id, then the OpenMetrics output links its bucket to that trace', async () => {
    const registry = createRegistry();
    const h = new Histogram({
      name: 'probe_seconds',
      help: 'probe',
      labelNames: ['step'] as const,
      buckets: [1, 10],
      enableExemplars: true,
      registers: [registry],
    });
    observeWithTrace(h, { step: 'ProcessPayment' }, 3.5, TRACE);
    const text = await registry.metrics();
    expect(text).toMatch(
      new RegExp(
        `probe_seconds_bucket\\{le="10",step="ProcessPayment"\\} 1 # \\{trace_id="${TRACE}"\\} 3\\.5`,
      ),
    );
  });

  it('when there is no trace, then the observation still counts, without an exemplar', async () => {
    const registry = createRegistry();
    const h = new Histogram({
      name: 'probe_seconds',
      help: 'probe',
      labelNames: ['step'] as const,
      buckets: [1],
      enableExemplars: true,
      registers: [registry],
    });
    observeWithTrace(h, { step: 'ValidateOrder' }, 0.2, undefined);
    const text = await registry.metrics();
    expect(text).toContain('probe_seconds_count{step="ValidateOrder"} 1');
    expect(text).not.toContain('trace_id');
  });
});
