// /v1/refunds: create (against a PaymentIntent or a charge), retrieve, list (optionally by payment_intent
// or charge). Over-refunds are refused with Stripe's amount_too_large / charge_already_refunded errors.
import { type Api, type Execute } from '../api.ts';
import { invalidRequest, resourceMissing } from '../errors.ts';
import { renderList, renderRefund } from '../objects.ts';
import { expand, int, listParams, metadata, oneOf, rejectUnknown, str } from '../params.ts';
import { refund } from '../payments.ts';

const EXPANDABLE = ['charge', 'payment_intent'];
const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

export function refundRoutes({ store, get, post }: Api): void {
  post('/refunds', ({ params }): Execute => {
    rejectUnknown(params, ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
    const paymentIntent = str(params, 'payment_intent', false, 255);
    const charge = str(params, 'charge', false, 255);
    if (paymentIntent === undefined && charge === undefined) {
      throw invalidRequest(
        'One of the following params should be provided for this request: payment_intent or charge.',
        { code: 'parameter_missing', param: 'payment_intent' },
      );
    }
    const amount = int(params, 'amount');
    if (amount !== undefined && amount < 1)
      throw invalidRequest('Invalid positive integer', {
        code: 'parameter_invalid_integer',
        param: 'amount',
      });
    const reason = oneOf(params, 'reason', REASONS);
    const meta = metadata(params);
    const expanded = expand(params, EXPANDABLE);
    return (now) => ({
      status: 200,
      body: renderRefund(
        refund(store, { paymentIntent, charge, amount, reason, metadata: meta }, now),
        store,
        expanded,
      ),
    });
  });

  get('/refunds/:id', ({ params, path }) => {
    rejectUnknown(params, ['expand']);
    const row = store.getRefund(path.id!);
    if (!row) throw resourceMissing('refund', path.id!);
    return renderRefund(row, store, expand(params, EXPANDABLE));
  });

  get('/refunds', ({ params }) => {
    rejectUnknown(params, ['payment_intent', 'charge', 'limit', 'starting_after', 'ending_before', 'expand']);
    const query = listParams(params);
    const paymentIntent = str(params, 'payment_intent', false, 255);
    const charge = str(params, 'charge', false, 255);
    const expanded = expand(
      params,
      EXPANDABLE.map((e) => `data.${e}`),
    ).map((e) => e.slice('data.'.length));
    const filter =
      paymentIntent !== undefined
        ? ({ column: 'payment_intent', value: paymentIntent } as const)
        : charge !== undefined
          ? ({ column: 'charge', value: charge } as const)
          : undefined;
    const page = store.listRefunds(query, filter);
    if (page === 'cursor_missing')
      throw resourceMissing(
        'refund',
        (query.startingAfter ?? query.endingBefore)!,
        query.startingAfter ? 'starting_after' : 'ending_before',
      );
    return renderList(
      '/v1/refunds',
      page.data.map((r) => renderRefund(r, store, expanded)),
      page.hasMore,
    );
  });
}
