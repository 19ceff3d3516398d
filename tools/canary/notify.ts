// Every decision that changes something, or that stops the rollout judging (hold), goes to Alertmanager as an
// alert (POST /api/v2/alerts), routed like the rest: a rollback is severity=warning (Slack, the release
// manager's channel), the others severity=info (the default receiver). The alert ends by itself: a decision is
// an event, not a condition to resolve.
import type { DecisionRecord } from '../../services/order-router/canary-state.ts';

const MINUTE = 60_000;

export function decisionAlert(canaryId: string, d: DecisionRecord) {
  const startsAt = new Date(d.at);
  return {
    labels: {
      alertname: 'CanaryDecision',
      team: 'orders-platform',
      severity: d.verdict === 'rollback' ? 'warning' : 'info',
      canary: canaryId,
      verdict: d.verdict,
      reason: d.reason,
      phase: String(d.phase),
      decided_by: d.by,
    },
    annotations: {
      summary: `canary ${d.verdict} at ${d.phase}%: ${d.summary}`,
      description: JSON.stringify(d.evidence ?? {}),
    },
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + (d.verdict === 'rollback' ? 60 : 5) * MINUTE).toISOString(),
  };
}

export async function notifyAlertmanager(
  alertmanager: string,
  canaryId: string,
  d: DecisionRecord,
): Promise<void> {
  const res = await fetch(`${alertmanager}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([decisionAlert(canaryId, d)]),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`Alertmanager answered ${res.status}: ${await res.text()}`);
}
