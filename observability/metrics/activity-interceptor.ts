// activity_duration_seconds{activity}: an activity inbound interceptor every worker registers. One
// observation per attempt (success, failure or cancellation), labelled with the ADR step name.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Histogram } from 'prom-client';
import { activityStepName } from './definitions.ts';

export function activityMetricsInterceptor(duration: Histogram<'activity'>): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const end = duration.startTimer({ activity: activityStepName(ctx.info.activityType) });
        try {
          return await next(input);
        } finally {
          end();
        }
      },
    },
  });
}
