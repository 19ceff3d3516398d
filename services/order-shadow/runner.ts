// Runs one mirrored order in shadow and compares it: starts ProcessOrderWorkflow in the shadow namespace (same
// workflow, same order id; the decide-only worker serves every task queue there), waits for it to end, reads the
// legacy pipeline's outcome for the same order id, compares, records, counts.
import { setTimeout as delay } from 'node:timers/promises';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { orderWorkflowStartOptions, WORKFLOW_TYPE } from '../../contracts/order/definitions.ts';
import type { OrderRequest, ProcessOrderInput } from '../../contracts/order/types.ts';
import { compareOutcomes, type PipelineOutcome } from './compare.ts';
import type { ShadowMetrics } from './metrics.ts';
import type { ShadowStore } from './store.ts';

/**
 * A flagged order waits this long for a reviewer in shadow (none comes): it ends ReviewDeadlineExceeded, which
 * the comparison reads as the legacy pipeline's "no manual review" refusal.
 */
export const SHADOW_REVIEW_TIMEOUT_SECONDS = 1;

export interface ShadowRunnerDeps {
  readonly store: ShadowStore;
  /** A client of the shadow namespace. */
  readonly temporal: Client;
  /** The legacy pipeline's terminal outcome for an order; undefined while it is still running or unknown. */
  readonly legacyOutcome: (orderId: string) => Promise<PipelineOutcome | undefined>;
  readonly metrics: ShadowMetrics;
  readonly log: { warn(obj: object, msg: string): void };
  /** How long to wait for the legacy record to be terminal after the shadow workflow ended. */
  readonly legacyWaitMs?: number;
}

export function createShadowRunner(deps: ShadowRunnerDeps) {
  const tracking = new Map<string, Promise<void>>();

  async function legacyTerminal(orderId: string): Promise<PipelineOutcome | undefined> {
    const deadline = Date.now() + (deps.legacyWaitMs ?? 30_000);
    for (;;) {
      const outcome = await deps.legacyOutcome(orderId).catch(() => undefined);
      if (outcome || Date.now() > deadline) return outcome;
      await delay(500);
    }
  }

  async function settle(orderId: string): Promise<void> {
    try {
      // The workflow fails with its order's failure (a decline, say): that is an outcome, recorded by
      // RecordOrderFailed; only the end matters here.
      await deps.temporal.workflow
        .getHandle(orderId)
        .result()
        .catch(() => undefined);
      const shadow = deps.store.get(orderId)?.shadowOutcome;
      if (!shadow) throw new Error('the shadow workflow ended without recording an outcome');
      const legacy = await legacyTerminal(orderId);
      if (!legacy) throw new Error('the legacy pipeline has no finished record of this order');
      const comparison = compareOutcomes(legacy, shadow);
      deps.store.recordComparison(orderId, legacy, comparison);
      deps.metrics.compared(comparison);
      if (comparison.result === 'mismatch')
        deps.log.warn(
          { orderId, comparison },
          'shadow mismatch: the pipelines decided this order differently',
        );
    } catch (err) {
      deps.store.recordError(orderId, (err as Error).message);
      deps.metrics.errored();
      deps.log.warn({ orderId, err }, 'shadow order not compared');
    }
  }

  function track(orderId: string): void {
    if (tracking.has(orderId)) return;
    const p = settle(orderId).finally(() => tracking.delete(orderId));
    tracking.set(orderId, p);
  }

  return {
    /** Starts the order in shadow; false when it was already mirrored (nothing started twice). */
    async mirror(orderId: string, request: OrderRequest): Promise<boolean> {
      const added = deps.store.add(orderId, request);
      if (!added) return false;
      const input: ProcessOrderInput = {
        orderId,
        request,
        reviewTimeoutSeconds: SHADOW_REVIEW_TIMEOUT_SECONDS,
      };
      try {
        await deps.temporal.workflow.start(WORKFLOW_TYPE, orderWorkflowStartOptions(input));
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
          deps.store.recordError(orderId, `shadow workflow not started: ${(err as Error).message}`);
          deps.metrics.errored();
          throw err;
        }
      }
      track(orderId);
      return true;
    },
    /** After a restart: follow the orders that were running in shadow. */
    resume(): number {
      const ids = deps.store.running();
      for (const id of ids) track(id);
      return ids.length;
    },
    /** Waits for every order being followed (shutdown, tests). */
    async drain(): Promise<void> {
      await Promise.all([...tracking.values()]);
    },
  };
}

export type ShadowRunner = ReturnType<typeof createShadowRunner>;
