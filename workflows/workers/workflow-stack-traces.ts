// Workflow stack traces: on or off (WORKFLOW_STACK_TRACES, off by default on the order-worker).
//
// Temporal's TypeScript workflow sandbox records a stack trace for every promise a workflow creates, for the
// `__stack_trace` query (the Temporal UI's "Stack Trace" tab): an Error per promise, each frame mapped through
// the bundle's source map. The order workflow, its OpenTelemetry interceptors and the SDK create dozens of
// promises per order. Measured (README "Performance"): replaying a completed order took ~45 CPU-ms with the
// traces and ~29 without (0.65), and under load it was the largest single cost of the workflow thread.
// Off, the sandbox's Error.stackTraceLimit is 0, set by a banner at the top of the workflow bundle: the bundle
// runs before the SDK freezes the sandbox's globals, so no workflow can change it back. What is lost: the
// Stack Trace tab and the stack of an error thrown in workflow code (its type and message stay). An order's
// step is in the `orderState` query and `npm run diagnose` either way; turn them on to debug a failing
// workflow task. Tests and replays that do not pass the hook keep them.
import type { WorkerOptions } from '@temporalio/worker';
import type { Compiler } from 'webpack'; // the SDK's bundler's webpack (a dependency of @temporalio/worker)

type WebpackConfigHook = NonNullable<NonNullable<WorkerOptions['bundlerOptions']>['webpackConfigHook']>;

export const STACK_TRACES_OFF_BANNER = 'Error.stackTraceLimit = 0;';

/** The bundler hook that turns workflow stack traces off (undefined: leave them on). */
export function workflowStackTracesHook(enabled: boolean): WebpackConfigHook | undefined {
  if (enabled) return undefined;
  return (config) => ({
    ...config,
    plugins: [
      ...(config.plugins ?? []),
      {
        // The bundler's own webpack, through the compiler: no second copy of webpack to keep in step.
        apply(compiler: Compiler) {
          new compiler.webpack.BannerPlugin({
            banner: STACK_TRACES_OFF_BANNER,
            raw: true,
            entryOnly: true,
          }).apply(compiler);
        },
      },
    ],
  });
}
