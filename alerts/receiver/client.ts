// Reading the stack's alert-receiver: what drills and tests use instead of PagerDuty's and Slack's UIs.
import { host, ports } from '../../platform/ports.ts';
import { type NotificationQuery, type ReceivedNotification } from './store.ts';

export const receiverUrl = `http://${host}:${ports.alertReceiver}`;

export async function fetchReceived(
  query: NotificationQuery = {},
  baseUrl = receiverUrl,
): Promise<ReceivedNotification[]> {
  const params = new URLSearchParams();
  if (query.sinceMs !== undefined) params.set('since', String(query.sinceMs));
  if (query.afterSeq !== undefined) params.set('after', String(query.afterSeq));
  if (query.channel) params.set('channel', query.channel);
  if (query.alertname) params.set('alertname', query.alertname);
  if (query.status) params.set('status', query.status);
  const res = await fetch(`${baseUrl}/received?${params.toString()}`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`alert-receiver answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { notifications: ReceivedNotification[] }).notifications;
}
