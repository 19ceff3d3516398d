// HTTP routes of the pricing service. Thin: validate, call the domain, shape the status code.
import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type Database } from '../../platform/sqlite.ts';
import { createServiceApp, parse } from '../kit/app.ts';
import { downstream } from '../../platform/downstream.ts';
import { catalogService } from './catalog.ts';
import { couponService } from './coupons.ts';
import { quoteService } from './quotes.ts';
import { pricingStore } from './store.ts';

export interface AppOptions {
  readonly db: Database;
  /** The clock coupons expire by; tests pass their own. */
  readonly now?: () => Date;
  readonly logLevel?: string;
}

const sku = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'letters, digits, ".", "_", ":" or "-", at most 100');
const couponCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-", at most 64');
// Bounds keep every sum of cents an exact integer (100 lines × 10^6 × $100,000 < 2^53).
const quoteRequest = z.object({
  items: z
    .array(z.object({ sku, quantity: z.number().int().min(1).max(1_000_000) }))
    .min(1)
    .max(100),
  // null and "" mean no coupon, as a form would send them.
  couponCode: z.union([couponCode, z.literal(''), z.null()]).optional(),
});
const priceChange = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  unitPriceCents: z.number().int().min(0).max(10_000_000),
});
const couponChange = z
  .object({
    description: z.string().trim().min(1).max(200),
    percentOff: z.number().min(0.01).max(100).multipleOf(0.01).optional(),
    amountOffCents: z.number().int().min(1).max(10_000_000).optional(),
    minSubtotalCents: z.number().int().min(0).max(10_000_000_000).default(0),
    expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
  })
  .refine((c) => (c.percentOff === undefined) !== (c.amountOffCents === undefined), {
    message: 'exactly one of percentOff and amountOffCents',
  });

export function buildApp({ db, now = () => new Date(), logLevel }: AppOptions): FastifyInstance {
  const app = createServiceApp({ service: downstream.pricing.name, ...(logLevel ? { logLevel } : {}) });
  const store = pricingStore(db);
  const catalog = catalogService(db, store);
  const coupons = couponService(db, store);
  const quotes = quoteService(store, coupons, now);

  app.post('/quotes', (req) => quotes.quote(parse(quoteRequest, req.body)));

  // Admin: the price list and coupons.
  app.get('/prices/:sku', (req) => catalog.get(parse(z.object({ sku }), req.params).sku));
  app.put('/prices/:sku', (req) =>
    catalog.set(parse(z.object({ sku }), req.params).sku, parse(priceChange, req.body)),
  );
  app.get('/coupons/:code', (req) => coupons.get(parse(z.object({ code: couponCode }), req.params).code));
  app.put('/coupons/:code', (req) =>
    coupons.set(parse(z.object({ code: couponCode }), req.params).code, parse(couponChange, req.body)),
  );

  return app;
}
