// HTTP routes of the tax service. Thin: validate, call the domain, shape the status code.
import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type Database } from '../../platform/sqlite.ts';
import { createServiceApp, parse } from '../kit/app.ts';
import { downstream } from '../../platform/downstream.ts';
import { rateStore } from './store.ts';
import { taxService } from './tax.ts';

export interface AppOptions {
  readonly db: Database;
  /** The clock rate changes are stamped with; tests pass their own. */
  readonly now?: () => Date;
  readonly logLevel?: string;
}

// Shape is checked here (400); whether the country is one we tax, and whether the postal code is valid
// there, are business answers from the domain (422).
const taxRequest = z.object({
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 country code')
    .transform((c) => c.toUpperCase()),
  postalCode: z
    .string()
    .trim()
    .min(1)
    .max(16)
    .transform((p) => p.toUpperCase()),
  // Up to $10 trillion: far past any order, and the product with a rate stays exact.
  amountCents: z.number().int().min(0).max(1_000_000_000_000_000),
});
const jurisdictionParams = z.object({
  jurisdiction: z
    .string()
    .regex(/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/, 'e.g. DE or US-CA')
    .transform((j) => j.toUpperCase()),
});
const rateChange = z.object({ ratePercent: z.number().min(0).max(100).multipleOf(0.01) });

export function buildApp({ db, now = () => new Date(), logLevel }: AppOptions): FastifyInstance {
  const app = createServiceApp({ service: downstream.tax.name, ...(logLevel ? { logLevel } : {}) });
  const tax = taxService(db, rateStore(db), now);

  app.post('/tax', (req) => tax.calculate(parse(taxRequest, req.body)));

  // Admin: rates change without a restart.
  app.get('/rates', () => tax.rates());
  app.get('/rates/:jurisdiction', (req) => tax.rate(parse(jurisdictionParams, req.params).jurisdiction));
  app.put('/rates/:jurisdiction', (req) =>
    tax.setRate(parse(jurisdictionParams, req.params).jurisdiction, parse(rateChange, req.body).ratePercent),
  );

  return app;
}
