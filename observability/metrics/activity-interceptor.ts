// activity_duration_seconds{activity}: an activity inbound interceptor every worker registers. One
// observation per attempt (success, failure or cancellation), labelled with the ADR step name.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Histogram } from 'prom-client';
import { activityStepName } from './definitions.ts';
import { observeWithTrace } from './exemplars.ts';
import { traceIdOfHeaders } from '../tracing/temporal.ts';

export function activityMetricsInterceptor(duration: Histogram<'activity'>): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const started = performance.now();
        try {
          return await next(input);
        } finally {
          // This interceptor runs outside the tracing one: the trace comes from the activity's headers.
          const seconds = (performance.now() - started) / 1000;
          const activity = activityStepName(ctx.info.activityType);
          observeWithTrace(duration, { activity }, seconds, traceIdOfHeaders(input.headers));
        }
      },
    },
  });
}
