// Sending notifications: redact, render, hand to the email provider, record. A notificationId is sent at
// most once: a retried send returns the original record instead of mailing the customer again.
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { NotificationErrors } from './errors.ts';
import { redact } from './redact.ts';
import { type Notification, type NotificationStore } from './store.ts';
import { render, TEMPLATES } from './templates.ts';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'must be 1-128 letters, digits or _.:-');

export const notificationRequest = z.object({
  notificationId: id,
  orderId: id,
  customerId: id,
  template: z.enum(TEMPLATES),
  channel: z.literal('email'),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type NotificationRequest = z.infer<typeof notificationRequest>;

export const notificationParams = z.object({ id });
export const listQuery = z.object({ orderId: id });

export interface SendReceipt {
  readonly id: string;
  readonly status: 'sent';
  readonly sentAt: string;
}

export interface EmailProviderOptions {
  /** Share of sends the provider refuses with a 5xx (an outage); nothing is recorded, a retry is safe. */
  readonly failureRate: number;
  readonly random?: () => number;
}

export interface NotificationDeps {
  readonly store: NotificationStore;
  readonly provider: EmailProviderOptions;
  readonly now?: () => Date;
}

export interface NotificationService {
  send(request: NotificationRequest): { receipt: SendReceipt; created: boolean };
  get(id: string): Notification;
  byOrder(orderId: string): Notification[];
}

export function createNotificationService({
  store,
  provider,
  now = () => new Date(),
}: NotificationDeps): NotificationService {
  const random = provider.random ?? Math.random;
  const receipt = (n: Notification): SendReceipt => ({ id: n.id, status: n.status, sentAt: n.sentAt });

  const replay = (existing: Notification, request: NotificationRequest) => {
    // The idempotency key must name the same message; reusing it for another one would silently drop it.
    if (
      existing.orderId !== request.orderId ||
      existing.template !== request.template ||
      existing.customerId !== request.customerId
    ) {
      throw new AppError(
        NotificationErrors.notificationIdConflict,
        409,
        `notification ${request.notificationId} was already used for another message`,
        {
          notificationId: request.notificationId,
        },
      );
    }
    return { receipt: receipt(existing), created: false };
  };

  return {
    send(request) {
      const existing = store.find(request.notificationId);
      if (existing) return replay(existing, request);
      const { data, removed } = redact(request.data ?? {});
      const message = render(request.template, request.orderId, data);
      if (provider.failureRate > 0 && random() < provider.failureRate) {
        throw new AppError(
          NotificationErrors.providerUnavailable,
          502,
          'the email provider refused the message (5xx); nothing was sent',
        );
      }
      const { notification, created } = store.insert({
        id: request.notificationId,
        orderId: request.orderId,
        customerId: request.customerId,
        template: request.template,
        channel: request.channel,
        status: 'sent',
        ...message,
        data,
        redactedFields: removed,
        sentAt: now().toISOString(),
      });
      return created ? { receipt: receipt(notification), created } : replay(notification, request);
    },

    get(id) {
      const notification = store.find(id);
      if (!notification)
        throw new AppError(NotificationErrors.notificationNotFound, 404, `notification ${id} not found`);
      return notification;
    },

    byOrder: (orderId) => store.byOrder(orderId),
  };
}
