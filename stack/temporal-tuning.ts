// The Temporal server settings this project changes from the defaults, shared by the dev server
// (`--dynamic-config-value`) and the cluster profile (its dynamic config file), so a cluster-vs-dev-server
// measurement differs in topology and database, not in tuning. Each entry says why (README "Performance").

/** Dynamic config keys and values (go.temporal.io/server common/dynamicconfig/constants.go). */
export const TEMPORAL_TUNING: Readonly<Record<string, boolean | number>> = {
  // One partition per task queue (the server's default is 4): on one node, four partitions only split the
  // few pollers, so tasks miss a waiting poller (no sync match), go to the database and are forwarded
  // between partitions: CPU and latency for nothing.
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
  // Eager activity dispatch (off by default): when a workflow task completes by scheduling an activity on
  // the workflow's own task queue (ReserveInventory, CreateShipment, FinalizeOrder and the compensations on
  // order-processing), the server hands the activity task back in the completion's response, to the
  // worker that asked for it and has a free slot: no matching round trip, no poll. The activity is still
  // a full activity in the history, UI, metrics and traces, with the same retries and timeouts.
  'system.enableActivityEagerExecution': true,
};

/** `--dynamic-config-value key=value` pairs for `temporal server start-dev`. */
export function devServerTuningArgs(
  tuning: Readonly<Record<string, boolean | number>> = TEMPORAL_TUNING,
): string[] {
  return Object.entries(tuning).flatMap(([key, value]) => [
    '--dynamic-config-value',
    `${key}=${JSON.stringify(value)}`,
  ]);
}
