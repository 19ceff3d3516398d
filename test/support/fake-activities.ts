// Scriptable stand-ins for the three workers' activities, for workflow tests on a real Temporal server.
// They record every call and attempt; a step can be told to decline (non-retryable), fail transiently
// (retryable), or block until released.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type {
  FraudActivities,
  OrderActivities,
  PaymentActivities,
} from '../../workflows/activities/types.ts';
import type { FraudDecision } from '../../contracts/order/types.ts';

export type ActivityName = keyof OrderActivities | keyof FraudActivities | keyof PaymentActivities;
export type Behaviour = 'ok' | 'decline' | 'transient' | { readonly blockUntil: Promise<void> };

export interface FakeWorld {
  readonly calls: ActivityName[];
  readonly attempts: Map<ActivityName, number>;
  readonly failedRecords: {
    status: string;
    type: string;
    step: string;
    compensations: { step: string; outcome: string }[];
  }[];
  readonly order: OrderActivities;
  readonly fraud: FraudActivities;
  readonly payment: PaymentActivities;
}

export function fakeWorld(
  script: Partial<Record<ActivityName, Behaviour>> = {},
  fraudDecision: FraudDecision = 'approve',
): FakeWorld {
  const calls: ActivityName[] = [];
  const attempts = new Map<ActivityName, number>();
  const failedRecords: FakeWorld['failedRecords'] = [];

  async function act<T>(name: ActivityName, result: () => T): Promise<T> {
    calls.push(name);
    attempts.set(name, Context.current().info.attempt);
    const behaviour = script[name] ?? 'ok';
    if (behaviour === 'decline')
      throw ApplicationFailure.nonRetryable(`${name} declined`, 'TestDecline', {
        service: 'fake',
        injectedFault: false,
      });
    if (behaviour === 'transient')
      throw ApplicationFailure.retryable(`${name} unavailable`, 'DownstreamUnavailable', {
        service: 'fake',
        injectedFault: false,
      });
    if (typeof behaviour === 'object') await behaviour.blockUntil;
    return result();
  }

  return {
    calls,
    attempts,
    failedRecords,
    order: {
      validateOrder: () => act('validateOrder', () => undefined),
      calculatePricing: () =>
        act('calculatePricing', () => ({
          currency: 'usd',
          subtotalCents: 3998,
          discountCents: 0,
          taxCents: 290,
          totalCents: 4288,
          taxJurisdiction: 'US-CA',
        })),
      reserveInventory: ({ orderId }) =>
        act('reserveInventory', () => ({ reservationId: orderId, expiresAt: '2030-01-01T00:15:00Z' })),
      releaseInventoryReservation: () => act('releaseInventoryReservation', () => 'reservation released'),
      createShipment: ({ orderId }) =>
        act('createShipment', () => ({
          shipmentId: orderId,
          trackingNumber: 'OFX000000000001',
          carrier: 'OrderflowExpress',
        })),
      cancelShipment: () => act('cancelShipment', () => 'shipment cancelled'),
      finalizeOrder: () => act('finalizeOrder', () => undefined),
      recordOrderFailed: (input) =>
        act('recordOrderFailed', () => {
          failedRecords.push({
            status: input.status,
            type: input.failure.type,
            step: input.failure.step,
            compensations: [...input.compensations],
          });
        }),
    },
    fraud: {
      runFraudCheck: () =>
        act('runFraudCheck', () => ({
          decision: fraudDecision,
          score: fraudDecision === 'approve' ? 0.05 : 0.7,
          reasons: fraudDecision === 'approve' ? [] : ['high order value'],
        })),
      recordReviewDecision: () => act('recordReviewDecision', () => undefined),
    },
    payment: {
      processPayment: ({ amountCents }) =>
        act('processPayment', () => ({
          paymentIntentId: 'pi_test',
          chargeId: 'ch_test',
          amountCents,
          currency: 'usd',
        })),
      refundPayment: () => act('refundPayment', () => 'refunded'),
    },
  };
}
