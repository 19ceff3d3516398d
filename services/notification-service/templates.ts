// Email templates. They render from the already redacted data, so nothing removed by redact.ts can reach
// a message, and they read only the fields they know, so unexpected data is stored but never mailed.

export const TEMPLATES = ['order_confirmation', 'order_failed', 'review_pending'] as const;
export type Template = (typeof TEMPLATES)[number];

export interface Message {
  readonly subject: string;
  readonly body: string;
}

const str = (data: Record<string, unknown>, key: string): string | undefined => {
  const v = data[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

function money(data: Record<string, unknown>): string | undefined {
  const cents = data.totalCents ?? data.amountCents;
  if (typeof cents !== 'number' || !Number.isInteger(cents)) return undefined;
  const currency = str(data, 'currency')?.toUpperCase() ?? 'USD';
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
  } catch {
    // An unknown currency code: still say the amount rather than fail the send.
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

export function render(template: Template, orderId: string, data: Record<string, unknown>): Message {
  const lines: string[] = [];
  switch (template) {
    case 'order_confirmation': {
      lines.push(`Thank you for your order ${orderId}. It is confirmed and on its way to being packed.`);
      const total = money(data);
      if (total) lines.push(`Total charged: ${total}.`);
      const tracking = str(data, 'trackingNumber');
      if (tracking)
        lines.push(
          `Tracking number${str(data, 'carrier') ? ` (${str(data, 'carrier')})` : ''}: ${tracking}.`,
        );
      return { subject: `Your order ${orderId} is confirmed`, body: lines.join('\n') };
    }
    case 'order_failed': {
      lines.push(`We are sorry: we could not complete your order ${orderId}.`);
      const reason = str(data, 'reason');
      if (reason) lines.push(`Reason: ${reason}.`);
      if (data.refunded === true) lines.push('Any payment taken has been refunded in full.');
      return { subject: `We could not complete your order ${orderId}`, body: lines.join('\n') };
    }
    case 'review_pending': {
      lines.push(`Your order ${orderId} needs a quick manual check before we ship it.`);
      lines.push('We will email you again as soon as it is done, usually within 24 hours.');
      return { subject: `Your order ${orderId} is being reviewed`, body: lines.join('\n') };
    }
  }
}
