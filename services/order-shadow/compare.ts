// The shadow comparison: for one order id, the legacy pipeline's outcome (the system of record) against what the
// Temporal pipeline decided in shadow. Three fields: the outcome (completed, declined, failed), the amount (the
// order total both priced) and the decline reason (the failure type). Pure: order-shadow records and counts what
// this returns, the unit tests pin it.
import { FailureType, isBusinessDecline } from '../../contracts/failures.ts';

export const COMPARED_FIELDS = ['outcome', 'amount', 'reason'] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];
export const FIELD_RESULTS = ['match', 'mismatch', 'unverifiable'] as const;
export type FieldResult = (typeof FIELD_RESULTS)[number];

/**
 * Steps the shadow side does not perform (it records the intended reservation, charge, shipment and outcome
 * instead): when the legacy pipeline failed at one of them, the shadow side cannot know whether it would have
 * failed too, so the outcome and reason are unverifiable rather than a mismatch.
 */
export const EFFECT_STEPS: ReadonlySet<string> = new Set([
  'ReserveInventory',
  'ProcessPayment',
  'CreateShipment',
  'FinalizeOrder',
]);

export interface OutcomeFailure {
  readonly step: string;
  readonly type: string;
  readonly message: string;
}

/** One pipeline's terminal outcome for an order. */
export interface PipelineOutcome {
  readonly status: string;
  /** The order total in cents, when the pipeline got as far as pricing. */
  readonly totalCents: number | null;
  readonly failure: OutcomeFailure | null;
}

export type Outcome = 'completed' | 'declined' | 'failed';

export interface FieldComparison {
  readonly result: FieldResult;
  readonly legacy: string | number | null;
  readonly shadow: string | number | null;
}

export interface Comparison {
  /** mismatch when any field mismatches; else unverifiable when any field is; else match. */
  readonly result: FieldResult;
  readonly fields: Readonly<Record<ComparedField, FieldComparison>>;
}

/** completed, declined (a business decision) or failed (something broke). */
export function outcomeOf(o: PipelineOutcome): Outcome {
  if (o.status === 'completed') return 'completed';
  return isBusinessDecline(o.failure?.type) ? 'declined' : 'failed';
}

/**
 * The decline reason, normalised for the one place the pipelines differ by design: an order the fraud service
 * flags for review is refused by legacy (FraudRejected, "no manual review") and waits for a reviewer in the
 * Temporal pipeline (shadow runs it with no reviewer, so it ends ReviewDeadlineExceeded). Both are "FraudReview".
 */
export function reasonOf(o: PipelineOutcome): string | null {
  if (o.status === 'completed' || !o.failure) return null;
  const { type, message } = o.failure;
  if (type === FailureType.reviewDeadlineExceeded) return 'FraudReview';
  if (type === FailureType.fraudRejected && /\breview\b/.test(message)) return 'FraudReview';
  return type;
}

const field = (
  legacy: string | number | null,
  shadow: string | number | null,
  unverifiable = false,
): FieldComparison => ({
  result: unverifiable ? 'unverifiable' : legacy === shadow ? 'match' : 'mismatch',
  legacy,
  shadow,
});

export function compareOutcomes(legacy: PipelineOutcome, shadow: PipelineOutcome): Comparison {
  const legacyOutcome = outcomeOf(legacy);
  // Legacy did not reach a decision the shadow side can check: it failed at a step the shadow side only records,
  // or something broke (a timeout, a downstream error), which is not a decision at all.
  const undecided =
    legacyOutcome === 'failed' ||
    (legacyOutcome === 'declined' && EFFECT_STEPS.has(legacy.failure?.step ?? ''));
  // The amount is comparable when both priced the order, or when legacy decided before pricing.
  const amountUnverifiable = undecided && (legacy.totalCents === null || shadow.totalCents === null);
  const fields = {
    outcome: field(legacyOutcome, outcomeOf(shadow), undecided),
    amount: field(legacy.totalCents, shadow.totalCents, amountUnverifiable),
    reason: field(reasonOf(legacy), reasonOf(shadow), undecided),
  };
  const results = Object.values(fields).map((f) => f.result);
  const result: FieldResult = results.includes('mismatch')
    ? 'mismatch'
    : results.includes('unverifiable')
      ? 'unverifiable'
      : 'match';
  return { result, fields };
}
