import { describe, expect, it } from 'vitest';
import type { Summary, SummaryGroup } from '../diagnose/summary.ts';
import { names } from './detect.ts';

const group = (over: Partial<SummaryGroup>): SummaryGroup => ({
  outcome: 'compensated',
  step: 'CreateShipment',
  cause: 'DownstreamUnavailable',
  category: 'injected-fault',
  service: 'shipping-service',
  status: 503,
  injectedFault: true,
  count: 3,
  latestOrderId: 'ord_1',
  latestAt: '2026-12-02T10:00:00Z',
  sampleMessage: '503',
  ...over,
});
const summary = (groups: SummaryGroup[], faulty: string[] = []): Summary =>
  ({
    groups,
    network: {
      status: 'ok',
      faulty: faulty.map((name) => ({ name, listen: '', upstream: '', enabled: true, toxics: [] })),
    },
  }) as unknown as Summary;

describe('names (time to diagnose)', () => {
  const target = { step: 'CreateShipment', service: 'shipping-service' };

  it('when a group of failed orders has the step and the service, then the cause is named', () => {
    expect(names(summary([group({})]), target)).toBe(true);
  });

  it('when only the step or only the service matches, then it is not', () => {
    expect(names(summary([group({ service: 'payment-gateway' })]), target)).toBe(false);
    expect(names(summary([group({ step: 'ProcessPayment' })]), target)).toBe(false);
    expect(names(summary([]), target)).toBe(false);
  });

  it('when no step is expected (a latency fault), then the faulty proxy must be listed', () => {
    expect(names(summary([], ['inventory-service']), { service: 'inventory-service' })).toBe(true);
    expect(names(summary([], ['kafka']), { service: 'inventory-service' })).toBe(false);
  });
});
