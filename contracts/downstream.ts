// What the downstream services answer, as the order's callers read it: the saga's activities
// (workflows/activities) and the legacy synchronous checkout (services/legacy-order-service) make the same
// calls, so they read the same shapes. Only the fields the callers use.

/** customer-service `GET /customers/:id`. */
export interface CustomerAnswer {
  id: string;
  eligible: boolean;
  status: string;
  reason?: string;
}

/** inventory-service `POST /availability`. */
export interface AvailabilityAnswer {
  available: boolean;
  items: { sku: string; requested: number; available: number }[];
}

/** pricing-service `POST /quotes`. */
export interface QuoteAnswer {
  currency: string;
  subtotalCents: number;
  discountCents: number;
  totalBeforeTaxCents: number;
}

/** tax-service `POST /tax`. */
export interface TaxAnswer {
  jurisdiction: string;
  taxCents: number;
}

/** The ADR's inventory reservation TTL: 15 minutes. */
export const RESERVATION_TTL_SECONDS = 15 * 60;
