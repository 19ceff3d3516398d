// Which pipeline takes an order: a stable bucket of its routing id (0 to 99.99), compared with the canary's
// percentage. Buckets are fixed per order, so raising the share only moves legacy orders to the canary, never back.
import { createHash } from 'node:crypto';

export const PIPELINES = ['temporal', 'legacy'] as const;
export type Pipeline = (typeof PIPELINES)[number];

/** A uniform bucket in [0, 100) from the id's SHA-256, in steps of 0.01. */
export function bucketOf(routingId: string): number {
  return (createHash('sha256').update(routingId).digest().readUInt32BE(0) % 10_000) / 100;
}

export const pipelineFor = (routingId: string, canaryPercent: number): Pipeline =>
  bucketOf(routingId) < canaryPercent ? 'temporal' : 'legacy';
