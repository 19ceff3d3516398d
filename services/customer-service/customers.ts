// Customer accounts and whether they may place orders. Only an active account is eligible; a blocked one
// carries the reason, which the order workflow shows when it rejects the order.
import { randomUUID } from 'node:crypto';
import { type Database, transaction } from '../../platform/sqlite.ts';
import { AppError } from '../../platform/errors.ts';
import { CustomerErrors } from './errors.ts';
import { type CustomerRecord, type CustomerStore, type Status, type Tier } from './store.ts';

export interface CustomerView {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly tier: Tier;
  readonly status: Status;
  readonly eligible: boolean;
  readonly reason?: string;
}

export interface NewCustomer {
  readonly id?: string | undefined;
  readonly name: string;
  readonly email: string;
  readonly tier: Tier;
  readonly status: Status;
  readonly reason?: string | undefined;
}

export interface CustomerChanges {
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly tier?: Tier | undefined;
  readonly status?: Status | undefined;
  readonly reason?: string | undefined;
}

const defaultBlockReason = 'account blocked';

export function toView(c: CustomerRecord): CustomerView {
  const base = { id: c.id, name: c.name, email: c.email, tier: c.tier, status: c.status };
  return c.status === 'active'
    ? { ...base, eligible: true }
    : { ...base, eligible: false, reason: c.statusReason ?? defaultBlockReason };
}

export function customerService(db: Database, store: CustomerStore, now: () => Date) {
  const get = (id: string): CustomerRecord => {
    const found = store.get(id);
    if (!found) throw new AppError(CustomerErrors.customerNotFound, 404, `customer ${id} not found`);
    return found;
  };

  // Email is the login: two accounts cannot share one (compared case-insensitively, as the column is).
  const assertEmailFree = (email: string, ownerId?: string): void => {
    const holder = store.getByEmail(email);
    if (holder && holder.id !== ownerId) {
      throw new AppError(
        CustomerErrors.customerExists,
        409,
        `a customer with email ${email} already exists`,
        { field: 'email' },
      );
    }
  };

  return {
    get: (id: string): CustomerView => toView(get(id)),

    create(input: NewCustomer): CustomerView {
      return transaction(db, () => {
        const id = input.id ?? `cust-${randomUUID()}`;
        if (store.get(id))
          throw new AppError(CustomerErrors.customerExists, 409, `customer ${id} already exists`, {
            field: 'id',
          });
        assertEmailFree(input.email);
        const at = now().toISOString();
        const record: CustomerRecord = {
          id,
          name: input.name,
          email: input.email,
          tier: input.tier,
          status: input.status,
          statusReason: input.status === 'blocked' ? (input.reason ?? defaultBlockReason) : null,
          createdAt: at,
          updatedAt: at,
        };
        store.insert(record);
        return toView(record);
      });
    },

    update(id: string, changes: CustomerChanges): CustomerView {
      return transaction(db, () => {
        const current = get(id);
        if (changes.email !== undefined) assertEmailFree(changes.email, id);
        const status = changes.status ?? current.status;
        // Unblocking clears the reason; blocking keeps an existing reason unless a new one is given.
        const statusReason =
          status === 'active' ? null : (changes.reason ?? current.statusReason ?? defaultBlockReason);
        const record: CustomerRecord = {
          ...current,
          name: changes.name ?? current.name,
          email: changes.email ?? current.email,
          tier: changes.tier ?? current.tier,
          status,
          statusReason,
          updatedAt: now().toISOString(),
        };
        store.update(record);
        return toView(record);
      });
    },
  };
}
