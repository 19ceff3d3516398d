// The notification log: queries by time, sequence, channel, alert and status; the JSONL file read back after a
// restart, a torn last line skipped, and the file compacted once it outgrows what memory keeps.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ParsedNotification } from './payloads.ts';
import { openNotificationLog } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'orderflow-receiver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const page = (alertname: string, status: ParsedNotification['status'] = 'firing'): ParsedNotification => ({
  channel: 'pagerduty',
  status,
  alertname,
  summary: `${alertname}: summary`,
});
const slack: ParsedNotification = {
  channel: 'slack',
  status: 'firing',
  alertname: 'KafkaConsumerLagHigh',
  summary: 's',
};

describe('notification log', () => {
  it('when notifications arrive, then queries filter by time, sequence, channel, alert name and status', () => {
    let now = 1000;
    const log = openNotificationLog({ now: () => now });
    log.add(page('OrderWorkflowFailureRateHigh'), { n: 1 });
    now = 2000;
    log.add(slack, { n: 2 });
    now = 3000;
    log.add(page('OrderWorkflowFailureRateHigh', 'resolved'), { n: 3 });
    expect(log.query().map((n) => n.seq)).toEqual([1, 2, 3]);
    expect(log.query({ sinceMs: 2000 }).map((n) => n.seq)).toEqual([2, 3]);
    expect(log.query({ afterSeq: 2 }).map((n) => n.seq)).toEqual([3]);
    expect(log.query({ channel: 'slack' }).map((n) => n.payload)).toEqual([{ n: 2 }]);
    expect(
      log.query({ alertname: 'OrderWorkflowFailureRateHigh', status: 'firing' }).map((n) => n.receivedAt),
    ).toEqual(['1970-01-01T00:00:01.000Z']);
  });

  it('when the process restarts, then the file is read back, a torn line skipped, and numbering continues', () => {
    const file = join(dir, 'restart.jsonl');
    const first = openNotificationLog({ file });
    first.add(page('A'), {});
    first.add(page('B'), {});
    appendFileSync(file, '{"seq":3,"receivedAt'); // a crash mid-write
    const second = openNotificationLog({ file });
    expect(second.query().map((n) => n.alertname)).toEqual(['A', 'B']);
    expect(second.add(slack, {}).seq).toBe(3);
    expect(readFileSync(file, 'utf8')).toContain('"alertname":"KafkaConsumerLagHigh"');
  });

  it('when more than the capacity arrive, then memory keeps the newest and a reopen compacts the file', () => {
    const file = join(dir, 'compact.jsonl');
    const log = openNotificationLog({ file, capacity: 3 });
    for (let i = 0; i < 7; i++) log.add(page(`A${i}`), {});
    expect(log.query().map((n) => n.alertname)).toEqual(['A4', 'A5', 'A6']);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(7);
    const reopened = openNotificationLog({ file, capacity: 3 });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
    expect(reopened.add(page('next'), {}).seq).toBe(8);
  });
});
