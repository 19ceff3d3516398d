// A short run of the chaos experiments (tools/chaos/, `npm run chaos`) on the running stack, in the chaos
// phase: shipping-service rejecting every request after payment for 25 s under background load. Every order
// caught by it must be compensated exactly (refund of what was captured, reservation released, no live
// shipment), the others complete, the compensation-rate alert fires on the compressed rules, diagnose names
// CreateShipment + shipping-service, and the stack is left as found. About 3–4 minutes.
import { describe, expect, it } from 'vitest';
import { restorationProblems } from '../../tools/drill/verify.ts';
import { verdictTable, writeChaosReport } from '../../tools/chaos/report.ts';
import { chaosJournalPath } from '../../tools/chaos/rollback.ts';
import { runExperiment } from '../../tools/chaos/run.ts';
import { experimentFor } from '../../tools/chaos/scenarios.ts';

const BOUND_MS = 9 * 60_000;

describe('chaos experiments, short', () => {
  it(
    'when shipping-service rejects every request after payment for 25 s, then each caught order is compensated exactly and the rest complete',
    async () => {
      const experiment = experimentFor('shipping-rejects-after-payment')!;
      const result = await runExperiment(experiment, {
        ratePerHour: 1800,
        loadSeconds: 60,
        faultSeconds: 25,
        signal: AbortSignal.timeout(BOUND_MS - 60_000),
        log: (line) => console.log(line),
      });
      await writeChaosReport(result, 'test/chaos/chaos-experiments.test.ts');
      console.log(verdictTable(result));

      expect(result.error).toBeUndefined();
      expect(result.verdict.invalidReasons).toEqual([]);
      expect(result.verdict.declared?.failures).toBeGreaterThan(0);
      expect(result.verdict.declared?.notClean).toBe(0);
      // Exact compensation: every order that failed at CreateShipment has no money kept, no live stock or shipment.
      const caught = result.orders.filter((o) => o.failureStep === 'CreateShipment');
      expect(caught.every((o) => o.status === 'failed' && o.violations.length === 0)).toBe(true);
      expect(result.orders.filter((o) => o.violations.length > 0)).toEqual([]);
      expect(result.detect?.firedAfterMs).toBeGreaterThan(0);
      expect(result.verdict.status).toBe('pass');
      expect(result.rollback.failed).toEqual([]);
      expect(await restorationProblems(chaosJournalPath)).toEqual([]);
    },
    BOUND_MS,
  );
});
