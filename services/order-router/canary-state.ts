// The canary's state: which phase the rollout is in, and every decision taken so far. `npm run canary` (tools/canary)
// writes it; the router reads it to know the share of orders the Temporal pipeline takes. A JSON file under the
// stack's state folder, replaced atomically, so the router never reads half of it.
import { join } from 'node:path';
import { z } from 'zod';
import { readStateFile, writeStateFile } from '../../platform/state-file.ts';
import { stateDir } from '../../platform/paths.ts';

/** ADR-0047 phases 2 and 3: the Temporal pipeline's percentage of orders. 100 is the end (promoted). */
export const PHASES = [10, 50, 100] as const;
export type Phase = (typeof PHASES)[number];

export const CANARY_STATUSES = ['running', 'rolled_back', 'promoted'] as const;

const decisionSchema = z.object({
  at: z.string(),
  phase: z.number(),
  verdict: z.enum(['rollback', 'advance', 'wait', 'hold', 'start', 'promote']),
  reason: z.string(),
  summary: z.string(),
  by: z.enum(['gate', 'manual']),
  evidence: z.record(z.string(), z.unknown()).optional(),
});
export type DecisionRecord = z.infer<typeof decisionSchema>;

const stateSchema = z.object({
  version: z.literal(1),
  id: z.string().min(1),
  status: z.enum(CANARY_STATUSES),
  phase: z.union([z.literal(10), z.literal(50), z.literal(100)]),
  startedAt: z.string(),
  phaseStartedAt: z.string(),
  soakMs: z.number().int().min(0),
  /** Each finished phase's final e-values (failed, slow), carried into the next phase's test. */
  carried: z.object({ failed: z.number(), slow: z.number() }),
  decisions: z.array(decisionSchema),
});
export type CanaryState = z.infer<typeof stateSchema>;

export const CanaryStateErrors = { invalid: 'CANARY_STATE_INVALID' } as const;

export const defaultCanaryStatePath = (): string =>
  process.env.CANARY_STATE_FILE ?? join(stateDir, 'canary', 'state.json');

/** The state, or undefined when no canary was ever started. A damaged file is an error, never "no canary". */
export function readCanaryState(file: string): CanaryState | undefined {
  return readStateFile(file, stateSchema, CanaryStateErrors.invalid);
}

export function writeCanaryState(file: string, state: CanaryState): void {
  writeStateFile(file, stateSchema, state);
}

/** The Temporal pipeline's share of new orders: none before a start or after a rollback, all once promoted. */
export function canaryPercent(state: CanaryState | undefined): number {
  if (!state || state.status === 'rolled_back') return 0;
  if (state.status === 'promoted') return 100;
  return state.phase;
}
