// The live drill of every ADR-0047 alert (alerts/drill/, `npm run drill`): on the running stack, the injected
// fault and its traffic make the real Prometheus fire the alert from the time-compressed rules, the real
// Alertmanager delivers it to the alert-receiver on the receiver its severity routes to, and the drill leaves
// the stack as it found it. It injects faults into shared services, proxies and consumers and swaps
// Prometheus' rules, so it belongs to the chaos phase (run alone): 3 to 4 minutes for the four drills.
import { describe, expect, it } from 'vitest';
import { fetchReceived } from '../../alerts/receiver/client.ts';
import { formatResult } from '../../alerts/drill/report.ts';
import { runDrill } from '../../alerts/drill/run.ts';
import { scenarioFor } from '../../alerts/drill/scenarios.ts';
import { restorationProblems } from '../../alerts/drill/verify.ts';

/** The drill's own bounds: its wait for the notification plus quiet, settle and lag-drain waits. */
const drillBoundMs = (alert: string): number => (scenarioFor(alert)?.timeoutMs ?? 0) + 300_000;

/** The ADR's routing: the failure and compensation rates page, duration and lag go to Slack. */
const drills = [
  { alert: 'OrderWorkflowFailureRateHigh', channel: 'pagerduty' },
  { alert: 'OrderCompensationRateHigh', channel: 'pagerduty' },
  { alert: 'OrderWorkflowDurationHigh', channel: 'slack' },
  { alert: 'KafkaConsumerLagHigh', channel: 'slack' },
] as const;

describe('live drill of the ADR-0047 alerts', () => {
  for (const { alert, channel } of drills) {
    it(
      `when ${alert} is drilled, then it fires, reaches ${channel} and the stack is restored`,
      async () => {
        const bound = drillBoundMs(alert);
        // Stop the drill (which then still cleans up) before vitest gives up on the test.
        const result = await runDrill(alert, { signal: AbortSignal.timeout(bound - 30_000) });
        console.log(formatResult(result));

        expect(result.error).toBeUndefined();
        expect(result.expectedChannel).toBe(channel);
        expect(result.delivered).toBe(true);
        expect(result.delivery?.channel).toBe(channel);
        expect(result.timeToFireMs).toBeGreaterThan(0);
        expect(result.timeToDeliverMs).toBeGreaterThanOrEqual(result.timeToFireMs! - 1000);

        // The receiver itself has it: a firing notification of this alert on that channel since the fault.
        const received = await fetchReceived({
          sinceMs: Date.parse(result.faultAt!),
          alertname: alert,
          status: 'firing',
          channel,
        });
        expect(received.map((n) => n.seq)).toContain(result.delivery?.seq);

        // Cleaned up: no faults, no toxics, no paused consumer, normal rules and Alertmanager timings.
        expect(result.cleanup.failed).toEqual([]);
        expect(await restorationProblems()).toEqual([]);
        if (result.traffic.outcomes) expect(result.traffic.outcomes.unfinished).toBe(0);
        if (result.traffic.eventCopies) expect(result.traffic.lagDrainedMs).toBeDefined();
      },
      drillBoundMs(alert),
    );
  }
});
