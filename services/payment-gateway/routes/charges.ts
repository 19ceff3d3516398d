// Read-only /v1/charges/:id and /v1/payment_methods/:id, so ids found on intents (latest_charge,
// payment_method) and refunds (charge) can be looked at.
import { type Api } from '../api.ts';
import { resourceMissing } from '../errors.ts';
import { renderCharge, renderPaymentMethod } from '../objects.ts';
import { expand, rejectUnknown } from '../params.ts';

export function chargeRoutes({ store, get }: Api): void {
  get('/charges/:id', ({ params, path }) => {
    rejectUnknown(params, ['expand']);
    expand(params, []);
    const charge = store.getCharge(path.id!);
    if (!charge) throw resourceMissing('charge', path.id!);
    return renderCharge(charge, store);
  });

  get('/payment_methods/:id', ({ params, path }) => {
    rejectUnknown(params, ['expand']);
    expand(params, []);
    const pm = store.getPaymentMethod(path.id!);
    if (!pm) throw resourceMissing('PaymentMethod', path.id!);
    return renderPaymentMethod(pm);
  });
}
