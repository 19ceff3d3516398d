// Shadow mode (ADR-0047 phase 1): the switch and the mirror request, shared by the router (which mirrors the
// legacy pipeline's orders), order-shadow (which runs them decide-only) and `npm run shadow` (which flips the
// switch and reads the report). The switch is a JSON file under the stack's state folder, replaced atomically.
import { join } from 'node:path';
import { z } from 'zod';
import { readStateFile, writeStateFile } from '../platform/state-file.ts';
import { stateDir } from '../platform/paths.ts';

/**
 * Shadow workflows run in their own Temporal namespace: task queues are per namespace, so no order-worker,
 * fraud-worker or payment-worker (all in the default namespace) can ever pick up a shadow task, and no
 * visibility list of the real orders (order-api's gauges, diagnose) sees a shadow order.
 */
export const SHADOW_NAMESPACE = 'orderflow-shadow';

export const ShadowErrors = {
  stateInvalid: 'SHADOW_STATE_INVALID',
  invalidMirror: 'INVALID_SHADOW_ORDER',
  notFound: 'SHADOW_ORDER_NOT_FOUND',
} as const;

const stateSchema = z.object({
  version: z.literal(1),
  enabled: z.boolean(),
  /** When the switch last moved, and who moved it (a user name or "cli"). */
  changedAt: z.string(),
  by: z.string(),
});
export type ShadowState = z.infer<typeof stateSchema>;

export const defaultShadowStatePath = (): string =>
  process.env.SHADOW_STATE_FILE ?? join(stateDir, 'shadow', 'state.json');

/** The switch, or undefined when shadow mode was never turned on. A damaged file is an error, never "off". */
export function readShadowState(file: string): ShadowState | undefined {
  return readStateFile(file, stateSchema, ShadowErrors.stateInvalid);
}

export function writeShadowState(file: string, state: ShadowState): void {
  writeStateFile(file, stateSchema, state);
}

/**
 * The switch as a long-running process sees it: re-read at most once per `ttlMs`; unreadable is "off" (the
 * legacy pipeline alone, the safe side), reported once per distinct error.
 */
export function shadowStateReader(file: string, ttlMs = 1000) {
  let cached: { at: number; enabled: boolean } | undefined;
  let lastError = '';
  let report: (err: Error) => void = () => {};
  return {
    enabled: (): boolean => {
      const now = Date.now();
      if (cached && now - cached.at < ttlMs) return cached.enabled;
      let enabled = false;
      try {
        enabled = readShadowState(file)?.enabled ?? false;
        lastError = '';
      } catch (err) {
        if ((err as Error).message !== lastError) report(err as Error);
        lastError = (err as Error).message;
      }
      cached = { at: now, enabled };
      return enabled;
    },
    onError: (fn: (err: Error) => void): void => {
      report = fn;
    },
  };
}

/** What the router sends order-shadow for each order the legacy pipeline took: its id and the request. */
export interface ShadowMirror {
  readonly orderId: string;
  readonly request: unknown;
}
