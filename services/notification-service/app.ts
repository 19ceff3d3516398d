// HTTP routes of the notification service; sending rules in notifications.ts, redaction in redact.ts,
// message text in templates.ts, SQL in store.ts.
import { type FastifyInstance } from 'fastify';
import { type Database } from '../../platform/sqlite.ts';
import { createServiceApp, parse } from '../kit/app.ts';
import {
  createNotificationService,
  listQuery,
  notificationParams,
  notificationRequest,
} from './notifications.ts';
import { createNotificationStore } from './store.ts';

export const SERVICE = 'notification-service';

export interface NotificationAppOptions {
  readonly db: Database;
  /** Share of sends the email provider refuses: 502 PROVIDER_UNAVAILABLE. */
  readonly providerFailureRate?: number;
  readonly random?: () => number;
  readonly logLevel?: string;
  readonly now?: () => Date;
}

export function buildApp(options: NotificationAppOptions): FastifyInstance {
  const { db } = options;
  const notifications = createNotificationService({
    store: createNotificationStore(db),
    provider: { failureRate: options.providerFailureRate ?? 0, random: options.random },
    now: options.now,
  });

  const app = createServiceApp({
    service: SERVICE,
    logLevel: options.logLevel,
    ready: () => void db.prepare('SELECT 1').get(),
  });

  app.post('/notifications', (req, reply) => {
    const { receipt, created } = notifications.send(parse(notificationRequest, req.body));
    return reply.status(created ? 201 : 200).send(receipt);
  });
  app.get('/notifications', (req) => ({
    notifications: notifications.byOrder(parse(listQuery, req.query).orderId),
  }));
  app.get('/notifications/:id', (req) => notifications.get(parse(notificationParams, req.params).id));

  return app;
}
