// fraud-worker's activities: the fraud service's risk assessment and the reviewer's decision.
import type { FraudAssessment } from '../../contracts/order/types.ts';
import type { ServiceClient } from './http-client.ts';
import type { FraudActivities } from './types.ts';

export function createFraudActivities(deps: { readonly fraud: ServiceClient }): FraudActivities {
  return {
    async runFraudCheck({ orderId, request, pricing }): Promise<FraudAssessment> {
      const a = await deps.fraud.post<FraudAssessment>('/assessments', {
        orderId,
        customerId: request.customerId,
        amountCents: pricing.totalCents,
        itemCount: request.items.reduce((n, i) => n + i.quantity, 0),
        country: request.shippingAddress.country,
        paymentMethod: request.paymentMethod,
      });
      return { decision: a.decision, score: a.score, reasons: a.reasons };
    },

    async recordReviewDecision({ orderId, review }) {
      await deps.fraud.post(`/assessments/${encodeURIComponent(orderId)}/review`, {
        decision: review.decision,
        reviewer: review.reviewer,
      });
    },
  };
}
