// The live drill of every ADR-0047 alert (tools/drill/, `npm run drill`): on the running stack, the injected
// fault and its traffic make the real Prometheus fire the alert from the time-compressed rules, the real
// Alertmanager delivers it to the alert-receiver on the receiver its severity routes to, and the drill leaves
// the stack as it found it. It injects faults into shared services, proxies and consumers and swaps
// Prometheus' rules, so it belongs to the chaos phase (run alone): 3 to 4 minutes for the four drills.
import { describe, expect, it } from 'vitest';
import { fetchReceived } from '../../alerts/receiver/client.ts';
import { formatResult } from '../../tools/drill/report.ts';
import { type DrillResult, runDrill } from '../../tools/drill/run.ts';
import { scenarioFor } from '../../tools/drill/scenarios.ts';
import { restorationProblems } from '../../tools/drill/verify.ts';

/** The drill's own bounds: its wait for the notification plus quiet, settle and lag-drain waits. */
const drillBoundMs = (alert: string): number => (scenarioFor(alert)?.timeoutMs ?? 0) + 300_000;

/** The ADR's routing: the failure and compensation rates page, duration and lag go to Slack. */
const orderDrills = [
  { alert: 'OrderWorkflowFailureRateHigh', channel: 'pagerduty' },
  { alert: 'OrderCompensationRateHigh', channel: 'pagerduty' },
  { alert: 'OrderWorkflowDurationHigh', channel: 'slack' },
] as const;
const lagDrill = { alert: 'KafkaConsumerLagHigh', channel: 'slack' } as const;

/**
 * Runs the drill and checks what every drill must show: it fired, reached `channel` and the stack is
 * restored. Returns the result for the checks of its kind of traffic.
 */
async function drill(alert: string, channel: 'pagerduty' | 'slack'): Promise<DrillResult> {
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
  expect(result.faultAt).toBeDefined();
  expect(result.delivery?.seq).toBeDefined();
  const received = await fetchReceived({
    sinceMs: Date.parse(result.faultAt!),
    alertname: alert,
    status: 'firing',
    channel,
  });
  expect(received.map((n) => n.seq)).toContain(result.delivery!.seq);

  // Cleaned up: no faults, no toxics, no paused consumer, normal rules and Alertmanager timings.
  expect(result.cleanup.failed).toEqual([]);
  expect(await restorationProblems()).toEqual([]);
  return result;
}

describe('live drill of the ADR-0047 alerts', () => {
  for (const { alert, channel } of orderDrills) {
    it(
      `when ${alert} is drilled, then it fires, reaches ${channel}, every drill order finishes and the stack is restored`,
      async () => {
        const { traffic } = await drill(alert, channel);
        // The drill placed orders and waited for them: every one finished.
        expect(traffic.orders).toBeGreaterThan(0);
        expect(traffic.outcomes).toMatchObject({ unfinished: 0 });
      },
      drillBoundMs(alert),
    );
  }

  it(
    `when ${lagDrill.alert} is drilled, then it fires, reaches ${lagDrill.channel}, the paused group catches up and the stack is restored`,
    async () => {
      const { traffic } = await drill(lagDrill.alert, lagDrill.channel);
      // The drill published its event copies and waited for the resumed group to read them.
      expect(traffic.eventCopies).toBe(scenarioFor(lagDrill.alert)?.eventCopies);
      expect(traffic.eventCopies).toBeGreaterThan(0);
      expect(traffic.lagDrainedMs).toBeGreaterThanOrEqual(0);
    },
    drillBoundMs(lagDrill.alert),
  );
});
