// Fraud assessment: business rules on top of the model score. The rules are deterministic so demos and
// tests can steer an order to each decision (README.md lists them); the model only ever escalates to review.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { type AdmissionQueue } from './admission.ts';
import { FraudErrors } from './errors.ts';
import { MODEL_VERSION, score, type ScoringInput } from './model.ts';
import { type Assessment, type AssessmentStore, type Decision, type Review } from './store.ts';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'must be 1-128 letters, digits or _.:-');

export const assessmentRequest = z.object({
  orderId: id,
  customerId: id,
  amountCents: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  itemCount: z.number().int().min(1).max(10_000),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
    .transform((c) => c.toUpperCase()),
  paymentMethod: z.string().min(1).max(255),
});
export type AssessmentRequest = z.infer<typeof assessmentRequest>;

export const orderParams = z.object({ orderId: id });

export const reviewRequest = z.object({
  decision: z.enum(['approve', 'reject']),
  reviewer: z.string().trim().min(1).max(128),
});
export type ReviewRequest = z.infer<typeof reviewRequest>;

export const DENY_LIST: ReadonlySet<string> = new Set(['cust-fraudster']);
export const REJECT_AMOUNT_CENTS = 1_000_000;
export const REVIEW_AMOUNT_CENTS = 200_000;
export const FLAGGED_PAYMENT_METHOD = 'pm_card_chargeDeclinedFraudulent';
export const REVIEW_SCORE = 0.9;

const severity: Record<Decision, number> = { approve: 0, review: 1, reject: 2 };

/** The decision and every reason that contributed to it, most severe rule first. */
export function decide(input: ScoringInput, modelScore: number): { decision: Decision; reasons: string[] } {
  let decision: Decision = 'approve';
  const reasons: string[] = [];
  const flag = (d: Decision, reason: string): void => {
    reasons.push(reason);
    if (severity[d] > severity[decision]) decision = d;
  };
  if (DENY_LIST.has(input.customerId)) flag('reject', 'customer on deny list');
  if (input.amountCents >= REJECT_AMOUNT_CENTS) flag('reject', 'order value above limit');
  else if (input.amountCents >= REVIEW_AMOUNT_CENTS) flag('review', 'high order value');
  if (input.paymentMethod === FLAGGED_PAYMENT_METHOD) flag('review', 'payment method flagged as fraudulent');
  if (modelScore >= REVIEW_SCORE) flag('review', 'model score above review threshold');
  return { decision, reasons };
}

/** What callers see: the decision, not the inputs echoed back. */
export interface AssessmentView {
  readonly assessmentId: string;
  readonly orderId: string;
  readonly score: number;
  readonly decision: Decision;
  readonly reasons: readonly string[];
  readonly modelVersion: string;
  readonly assessedAt: string;
  readonly review: Review | null;
}

const view = (a: Assessment): AssessmentView => ({
  assessmentId: a.assessmentId,
  orderId: a.orderId,
  score: a.score,
  decision: a.decision,
  reasons: a.reasons,
  modelVersion: a.modelVersion,
  assessedAt: a.assessedAt,
  review: a.review,
});

export interface FraudDeps {
  readonly store: AssessmentStore;
  readonly queue: AdmissionQueue;
  readonly iterations: number;
  readonly now?: () => Date;
}

export interface FraudService {
  assess(request: AssessmentRequest): Promise<AssessmentView>;
  get(orderId: string): AssessmentView;
  review(orderId: string, request: ReviewRequest): AssessmentView;
}

export function createFraudService({
  store,
  queue,
  iterations,
  now = () => new Date(),
}: FraudDeps): FraudService {
  // Concurrent retries of one order share one inference rather than queueing twice.
  const inFlight = new Map<string, Promise<Assessment>>();

  const infer = (request: AssessmentRequest): Assessment => {
    // A duplicate may have been stored while this one waited in the queue.
    const existing = store.find(request.orderId);
    if (existing) return existing;
    const started = performance.now();
    const modelScore = score(request, iterations);
    const inferenceMs = Math.round((performance.now() - started) * 100) / 100;
    return store.insert({
      assessmentId: `fa_${randomUUID()}`,
      ...request,
      score: modelScore,
      ...decide(request, modelScore),
      modelVersion: MODEL_VERSION,
      inferenceMs,
      assessedAt: now().toISOString(),
    });
  };

  return {
    async assess(request) {
      const stored = store.find(request.orderId);
      if (stored) return view(stored);
      let pending = inFlight.get(request.orderId);
      if (!pending) {
        pending = queue.run(() => infer(request));
        inFlight.set(request.orderId, pending);
        const forget = (): void => void inFlight.delete(request.orderId);
        void pending.then(forget, forget);
      }
      return view(await pending);
    },

    get(orderId) {
      const stored = store.find(orderId);
      if (!stored) throw new AppError(FraudErrors.assessmentNotFound, 404, `assessment ${orderId} not found`);
      return view(stored);
    },

    review(orderId, { decision, reviewer }) {
      const stored = store.find(orderId);
      if (!stored) throw new AppError(FraudErrors.assessmentNotFound, 404, `assessment ${orderId} not found`);
      const recorded =
        stored.review ??
        store.recordReview(orderId, { decision, reviewer, reviewedAt: now().toISOString() }).review!;
      // A retried call carries the same outcome; a different outcome for the same order is a real conflict.
      if (recorded.decision !== decision || recorded.reviewer !== reviewer) {
        throw new AppError(FraudErrors.reviewAlreadyRecorded, 409, `order ${orderId} was already reviewed`, {
          review: recorded,
        });
      }
      return view(store.find(orderId)!);
    },
  };
}
