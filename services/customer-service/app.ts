// HTTP routes of the customer service. Thin: validate, call the domain, shape the status code.
import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type Database } from '../../platform/sqlite.ts';
import { createServiceApp, parse } from '../kit/app.ts';
import { downstream } from '../../platform/downstream.ts';
import { customerService } from './customers.ts';
import { customerStore } from './store.ts';

export interface AppOptions {
  readonly db: Database;
  /** The clock; tests pass their own. */
  readonly now?: () => Date;
  readonly logLevel?: string;
}

const customerId = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, ".", "_" or "-", at most 100');
const idParams = z.object({ id: customerId });
const tier = z.enum(['standard', 'gold']);
const status = z.enum(['active', 'blocked']);
const reason = z.string().trim().min(1).max(200);
const name = z.string().trim().min(1).max(200);
const email = z.email().max(254);

// A reason only makes sense for a blocked account.
const reasonNeedsBlocked = (v: { status?: string | undefined; reason?: string | undefined }): boolean =>
  v.reason === undefined || v.status === 'blocked';
const reasonIssue = { message: 'reason is only accepted together with status "blocked"', path: ['reason'] };

const newCustomer = z
  .object({
    id: customerId.optional(),
    name,
    email,
    tier: tier.default('standard'),
    status: status.default('active'),
    reason: reason.optional(),
  })
  .refine(reasonNeedsBlocked, reasonIssue);

const customerChanges = z
  .object({
    name: name.optional(),
    email: email.optional(),
    tier: tier.optional(),
    status: status.optional(),
    reason: reason.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to change' })
  .refine(reasonNeedsBlocked, reasonIssue);

export function buildApp({ db, now = () => new Date(), logLevel }: AppOptions): FastifyInstance {
  const app = createServiceApp({ service: downstream.customer.name, ...(logLevel ? { logLevel } : {}) });
  const customers = customerService(db, customerStore(db), now);

  app.get('/customers/:id', (req) => customers.get(parse(idParams, req.params).id));

  // Admin and tests: the order workflow only reads customers.
  app.post('/customers', (req, reply) => {
    const created = customers.create(parse(newCustomer, req.body));
    return reply.status(201).send(created);
  });
  app.patch('/customers/:id', (req) =>
    customers.update(parse(idParams, req.params).id, parse(customerChanges, req.body)),
  );

  return app;
}
