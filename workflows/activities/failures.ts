// Turns the failure catalogue's decisions (contracts/failures.ts) into Temporal failures: a retryable
// decision stays retryable (the step's retry policy decides how often), a decline or a request bug is a
// non-retryable ApplicationFailure with the catalogue's stable type and the downstream details diagnose reads.
import { ApplicationFailure } from '@temporalio/activity';
import {
  classifyConnectionError,
  classifyDownstreamAnswer,
  classifyStripeError,
  isStripeError,
  type FailureDecision,
} from '../../contracts/failures.ts';

export const toApplicationFailure = (d: FailureDecision): ApplicationFailure =>
  d.retryable
    ? ApplicationFailure.retryable(d.message, d.type, d.details)
    : ApplicationFailure.nonRetryable(d.message, d.type, d.details);

export const downstreamFailure = (
  service: string,
  status: number,
  code: string | undefined,
  message: string,
): ApplicationFailure => toApplicationFailure(classifyDownstreamAnswer(service, status, code, message));

export const connectionFailure = (service: string, err: unknown): ApplicationFailure =>
  toApplicationFailure(classifyConnectionError(service, err));

/** A Stripe SDK error as a Temporal failure; anything else passes through unchanged. */
export const stripeFailure = (service: string, err: unknown): Error =>
  isStripeError(err) ? toApplicationFailure(classifyStripeError(service, err)) : (err as Error);
