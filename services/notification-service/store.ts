// SQL for the sent-notification log. `seq` orders records by when they were sent, even within one
// millisecond; the notificationId is the caller's idempotency key.
import { type Database } from '../../platform/sqlite.ts';
import { type Template } from './templates.ts';

export const migrations: readonly string[] = [
  `CREATE TABLE notifications (
     seq             INTEGER PRIMARY KEY,
     notification_id TEXT NOT NULL UNIQUE,
     order_id        TEXT NOT NULL,
     customer_id     TEXT NOT NULL,
     template        TEXT NOT NULL,
     channel         TEXT NOT NULL,
     status          TEXT NOT NULL CHECK (status IN ('sent')),
     subject         TEXT NOT NULL,
     body            TEXT NOT NULL,
     data            TEXT NOT NULL,
     redacted_fields TEXT NOT NULL,
     sent_at         TEXT NOT NULL
   ) STRICT;
   CREATE INDEX notifications_by_order ON notifications (order_id, seq);`,
];

export interface Notification {
  readonly id: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly template: Template;
  readonly channel: 'email';
  readonly status: 'sent';
  readonly subject: string;
  readonly body: string;
  /** The caller's data after redaction. */
  readonly data: Record<string, unknown>;
  /** Paths removed by redaction (names only). */
  readonly redactedFields: string[];
  readonly sentAt: string;
}

interface Row {
  notification_id: string;
  order_id: string;
  customer_id: string;
  template: Template;
  channel: 'email';
  status: 'sent';
  subject: string;
  body: string;
  data: string;
  redacted_fields: string;
  sent_at: string;
}

const fromRow = (r: Row): Notification => ({
  id: r.notification_id,
  orderId: r.order_id,
  customerId: r.customer_id,
  template: r.template,
  channel: r.channel,
  status: r.status,
  subject: r.subject,
  body: r.body,
  data: JSON.parse(r.data) as Record<string, unknown>,
  redactedFields: JSON.parse(r.redacted_fields) as string[],
  sentAt: r.sent_at,
});

export interface NotificationStore {
  find(id: string): Notification | undefined;
  byOrder(orderId: string): Notification[];
  /** Inserts unless the id exists; returns the stored record and whether this call created it. */
  insert(n: Notification): { notification: Notification; created: boolean };
}

export function createNotificationStore(db: Database): NotificationStore {
  const select = db.prepare('SELECT * FROM notifications WHERE notification_id = ?');
  const selectByOrder = db.prepare('SELECT * FROM notifications WHERE order_id = ? ORDER BY seq');
  const insert = db.prepare(
    `INSERT INTO notifications (notification_id, order_id, customer_id, template, channel, status, subject, body,
       data, redacted_fields, sent_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (notification_id) DO NOTHING`,
  );

  const find = (id: string): Notification | undefined => {
    const row = select.get(id) as Row | undefined;
    return row && fromRow(row);
  };

  return {
    find,
    byOrder: (orderId) => (selectByOrder.all(orderId) as unknown as Row[]).map(fromRow),
    insert(n) {
      const { changes } = insert.run(
        n.id,
        n.orderId,
        n.customerId,
        n.template,
        n.channel,
        n.status,
        n.subject,
        n.body,
        JSON.stringify(n.data),
        JSON.stringify(n.redactedFields),
        n.sentAt,
      );
      return { notification: find(n.id)!, created: Number(changes) === 1 };
    },
  };
}
