// HTTP routes of the shipping service; rules in shipments.ts and addresses.ts, carriers in carriers.ts,
// SQL in store.ts.
import { type FastifyInstance } from 'fastify';
import { type Database } from '../../platform/sqlite.ts';
import { createServiceApp, parse } from '../kit/app.ts';
import { createCarrierApi } from './carriers.ts';
import { renderLabel } from './label.ts';
import { createShippingService, shipmentParams, shipmentRequest } from './shipments.ts';
import { createShipmentStore } from './store.ts';

export const SERVICE = 'shipping-service';

export interface ShippingAppOptions {
  readonly db: Database;
  /** Base of the labelUrl in responses; the service serves the labels itself. */
  readonly labelBaseUrl?: string;
  /** Share of label requests that hang and end in 504 CARRIER_TIMEOUT. */
  readonly carrierTimeoutRate?: number;
  readonly carrierTimeoutMs?: number;
  readonly random?: () => number;
  readonly logLevel?: string;
  readonly now?: () => Date;
}

export function buildApp(options: ShippingAppOptions): FastifyInstance {
  const { db } = options;
  const shipping = createShippingService({
    store: createShipmentStore(db),
    carrier: createCarrierApi({
      timeoutRate: options.carrierTimeoutRate ?? 0,
      timeoutMs: options.carrierTimeoutMs ?? 20_000,
      random: options.random,
    }),
    labelBaseUrl: (options.labelBaseUrl ?? 'http://127.0.0.1:8106').replace(/\/+$/, ''),
    now: options.now,
  });

  const app = createServiceApp({
    service: SERVICE,
    logLevel: options.logLevel,
    ready: () => void db.prepare('SELECT 1').get(),
  });

  app.post('/shipments', async (req, reply) => {
    const { shipment, created } = await shipping.create(parse(shipmentRequest, req.body));
    return reply.status(created ? 201 : 200).send(shipment);
  });
  app.get('/shipments/:id', (req) => shipping.get(parse(shipmentParams, req.params).id));
  app.get('/shipments/:id/label', (req, reply) => {
    const shipment = shipping.find(parse(shipmentParams, req.params).id);
    return reply.type('application/zpl; charset=utf-8').send(renderLabel(shipment));
  });
  app.post('/shipments/:id/cancel', (req) => shipping.cancel(parse(shipmentParams, req.params).id));
  // Admin: what the carrier's pickup scan would do. Used to reach the "already in transit" path.
  app.post('/shipments/:id/pickup', (req) => shipping.pickUp(parse(shipmentParams, req.params).id));

  return app;
}
