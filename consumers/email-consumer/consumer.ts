// email-consumer: the order confirmation and failure emails, rendered and recorded as "sent" (the
// stand-in for a mail provider; a real one would be an outbox row sent by a separate loop). Events carry
// no address: the recipient is the customer id, which the mail system resolves. Subscribes to both.
import { z } from 'zod';
import { type OrderCompletedEvent, type OrderFailedEvent } from '../../contracts/events/types.ts';
import { type Database } from '../../platform/sqlite.ts';
import { parse } from '../../platform/http.ts';
import { defineConsumer } from '../kit/definition.ts';

export type EmailTemplate = 'order_confirmation' | 'order_failed';

export const migrations: readonly string[] = [
  `CREATE TABLE emails (
     seq         INTEGER PRIMARY KEY,
     email_id    TEXT NOT NULL UNIQUE,
     event_id    TEXT NOT NULL UNIQUE,
     order_id    TEXT NOT NULL,
     customer_id TEXT NOT NULL,
     template    TEXT NOT NULL CHECK (template IN ('order_confirmation', 'order_failed')),
     recipient   TEXT NOT NULL,
     subject     TEXT NOT NULL,
     body        TEXT NOT NULL,
     sent_at     TEXT NOT NULL
   ) STRICT;
   CREATE INDEX emails_by_order ON emails (order_id, seq);
   CREATE INDEX emails_by_customer ON emails (customer_id, seq);`,
];

const money = (cents: number, currency: string): string =>
  `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;

export function confirmationEmail(e: OrderCompletedEvent): { subject: string; body: string } {
  const items = e.items.reduce((n, i) => n + i.quantity, 0);
  return {
    subject: `Your order ${e.orderId} is confirmed`,
    body: [
      `Thank you for your order ${e.orderId}.`,
      `${items} item${items === 1 ? '' : 's'}, total ${money(e.totalCents, e.currency)} (tax ${money(e.taxCents, e.currency)}${e.discountCents > 0 ? `, discount ${money(e.discountCents, e.currency)}` : ''}).`,
      `Shipped with ${e.carrier}, tracking number ${e.trackingNumber}.`,
    ].join('\n'),
  };
}

export function failureEmail(e: OrderFailedEvent): { subject: string; body: string } {
  const refunded = e.compensations.some((c) => c.step === 'RefundPayment' && c.outcome === 'completed');
  const lines = [`We are sorry: we could not complete your order ${e.orderId}.`];
  if (e.status === 'compensation_failed')
    lines.push('Our team has been notified and will contact you about any charge.');
  else if (refunded)
    lines.push(
      `Your payment${e.totalCents !== null && e.currency ? ` of ${money(e.totalCents, e.currency)}` : ''} has been refunded.`,
    );
  else lines.push('You have not been charged.');
  lines.push(`Reference: ${e.failureType}.`);
  return { subject: `Your order ${e.orderId} could not be completed`, body: lines.join('\n') };
}

function send(
  db: Database,
  template: EmailTemplate,
  e: { eventId: string; orderId: string; customerId: string },
  content: { subject: string; body: string },
  now: string,
): void {
  db.prepare(
    `INSERT INTO emails (email_id, event_id, order_id, customer_id, template, recipient, subject, body, sent_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email_id) DO NOTHING`,
  ).run(
    `${e.orderId}:${template}`,
    e.eventId,
    e.orderId,
    e.customerId,
    template,
    `customer:${e.customerId}`,
    content.subject,
    content.body,
    now,
  );
}

export interface SentEmail {
  readonly emailId: string;
  readonly eventId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly template: EmailTemplate;
  readonly recipient: string;
  readonly subject: string;
  readonly body: string;
  readonly sentAt: string;
}

interface Row {
  email_id: string;
  event_id: string;
  order_id: string;
  customer_id: string;
  template: EmailTemplate;
  recipient: string;
  subject: string;
  body: string;
  sent_at: string;
}

export function sentEmails(
  db: Database,
  filter: { orderId?: string; customerId?: string; limit?: number },
): SentEmail[] {
  const where: string[] = [];
  const args: string[] = [];
  if (filter.orderId) {
    where.push('order_id = ?');
    args.push(filter.orderId);
  }
  if (filter.customerId) {
    where.push('customer_id = ?');
    args.push(filter.customerId);
  }
  const sql = `SELECT * FROM emails ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${filter.limit ?? 100}`;
  return (db.prepare(sql).all(...args) as unknown as Row[]).map((r) => ({
    emailId: r.email_id,
    eventId: r.event_id,
    orderId: r.order_id,
    customerId: r.customer_id,
    template: r.template,
    recipient: r.recipient,
    subject: r.subject,
    body: r.body,
    sentAt: r.sent_at,
  }));
}

export const emailConsumer = defineConsumer({
  name: 'email-consumer',
  migrations,
  handlers: {
    completed: (event, { db, now }) => send(db, 'order_confirmation', event, confirmationEmail(event), now),
    failed: (event, { db, now }) => send(db, 'order_failed', event, failureEmail(event), now),
  },
  routes(app, db) {
    const query = z.object({
      orderId: z.string().min(1).optional(),
      customerId: z.string().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    });
    app.get('/emails', (req) => ({ emails: sentEmails(db, parse(query, req.query)) }));
  },
});
