// The notifications the stand-in received: the newest ones in memory for queries, every one appended to a
// JSONL file so a restart (or a person after a drill) still sees what was delivered. On open, the file is
// read back and, when it has grown well past what memory keeps, rewritten with only its newest lines.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Channel, type NotificationStatus, type ParsedNotification } from './payloads.ts';

export interface ReceivedNotification extends ParsedNotification {
  /** 1, 2, 3, … across restarts: a client can ask for everything after the last one it saw. */
  readonly seq: number;
  readonly receivedAt: string;
  readonly receivedAtMs: number;
  /** The body as the sender posted it. */
  readonly payload: unknown;
}

export interface NotificationQuery {
  /** Received at or after this time (epoch ms). */
  readonly sinceMs?: number;
  /** Sequence numbers above this one. */
  readonly afterSeq?: number;
  readonly channel?: Channel;
  readonly alertname?: string;
  readonly status?: NotificationStatus;
}

export interface NotificationLog {
  add(parsed: ParsedNotification, payload: unknown): ReceivedNotification;
  /** Oldest first. */
  query(query?: NotificationQuery): ReceivedNotification[];
  readonly file: string | undefined;
}

export interface NotificationLogOptions {
  /** JSONL file; none keeps notifications in memory only (tests). */
  readonly file?: string;
  /** How many notifications memory keeps (the file keeps up to twice as many between compactions). */
  readonly capacity?: number;
  readonly now?: () => number;
}

function readBack(file: string): ReceivedNotification[] {
  if (!existsSync(file)) return [];
  const out: ReceivedNotification[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const n = JSON.parse(line) as ReceivedNotification;
      if (typeof n.seq === 'number' && typeof n.receivedAtMs === 'number') out.push(n);
    } catch {
      // a line cut short by a crash mid-write: the rest of the file is still good
    }
  }
  return out;
}

export function openNotificationLog(options: NotificationLogOptions = {}): NotificationLog {
  const { file, capacity = 1000, now = Date.now } = options;
  let kept: ReceivedNotification[] = [];
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    const all = readBack(file);
    kept = all.slice(-capacity);
    if (all.length > 2 * capacity) {
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, kept.map((n) => `${JSON.stringify(n)}\n`).join(''));
      renameSync(tmp, file);
    }
  }
  let seq = kept.at(-1)?.seq ?? 0;

  return {
    file,
    add(parsed, payload) {
      const at = now();
      const notification: ReceivedNotification = {
        ...parsed,
        seq: ++seq,
        receivedAt: new Date(at).toISOString(),
        receivedAtMs: at,
        payload,
      };
      kept.push(notification);
      if (kept.length > capacity) kept = kept.slice(-capacity);
      if (file) appendFileSync(file, `${JSON.stringify(notification)}\n`);
      return notification;
    },
    query(q = {}) {
      return kept.filter(
        (n) =>
          (q.sinceMs === undefined || n.receivedAtMs >= q.sinceMs) &&
          (q.afterSeq === undefined || n.seq > q.afterSeq) &&
          (q.channel === undefined || n.channel === q.channel) &&
          (q.alertname === undefined || n.alertname === q.alertname) &&
          (q.status === undefined || n.status === q.status),
      );
    },
  };
}
