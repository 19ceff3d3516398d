// k6 script of `npm run load` (tools/load/cli.ts): submits orders to order-api at an open arrival rate.
// Everything it needs comes in LOAD_CONFIG (JSON, built by tools/load/k6-options.ts): the scenarios
// (constant- or ramping-arrival-rate, timeUnit 1h), the order mix and the run id. Each iteration sends
// exactly one order, whose Idempotency-Key starts with the run id, so the runner finds the run's own orders
// in the order store afterwards. The `review` scenario is the reviewer: it submits an order the fraud
// service flags for review, waits until the order is awaiting_review, and decides it like an analyst.
import http from 'k6/http';
import exec from 'k6/execution';
import { check, sleep } from 'k6';
import { Counter } from 'k6/metrics';

const config = JSON.parse(__ENV.LOAD_CONFIG);
const api = config.baseUrl;

export const options = {
  scenarios: config.scenarios,
  discardResponseBodies: false,
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'],
  tags: { testid: config.runId },
};

const accepted = new Counter('orders_accepted');
const rejected = new Counter('orders_rejected');
const reviews = new Counter('orders_reviewed');

function pick(weighted) {
  let total = 0;
  for (const w of weighted) total += w.weight;
  let r = Math.random() * total;
  for (const w of weighted) {
    r -= w.weight;
    if (r <= 0) return w;
  }
  return weighted[weighted.length - 1];
}
const any = (list) => list[Math.floor(Math.random() * list.length)];

function orderBody(kind) {
  const m = config.mix.catalog;
  const lines = 1 + Math.floor(Math.random() * 2);
  const items = [];
  for (let i = 0; i < lines; i++) {
    const sku = any(m.skus);
    if (!items.some((it) => it.sku === sku)) items.push({ sku, quantity: 1 + Math.floor(Math.random() * 3) });
  }
  const body = {
    customerId: any(m.customers),
    items,
    shippingAddress: any(m.addresses),
    paymentMethod: any(m.paymentMethods),
  };
  const coupon = any(m.coupons);
  if (coupon) body.couponCode = coupon;
  // The kind's overrides: a declining card, an undeliverable address, an expired coupon, a review-size order.
  const o = kind.override || {};
  if (o.paymentMethods) body.paymentMethod = any(o.paymentMethods);
  if (o.addresses) body.shippingAddress = any(o.addresses);
  if (o.couponCode) body.couponCode = o.couponCode;
  if (o.items) body.items = o.items;
  return body;
}

function submit(kind, scenario) {
  const step = __ENV.LOAD_STEP ? `s${__ENV.LOAD_STEP}.` : '';
  const key = `${config.runId}.${step}${scenario}.${exec.scenario.iterationInTest}.${kind.name}`;
  const res = http.post(`${api}/orders`, JSON.stringify(orderBody(kind)), {
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    tags: { name: 'submit', kind: kind.name },
    timeout: config.requestTimeout,
  });
  const ok = check(res, { 'order accepted (202)': (r) => r.status === 202 });
  if (ok) accepted.add(1, { kind: kind.name });
  else rejected.add(1, { kind: kind.name, status: String(res.status) });
  return ok ? res.json('orderId') : undefined;
}

export function orders() {
  submit(pick(config.mix.kinds), 'o');
}

export function review() {
  const orderId = submit(config.mix.review, 'r');
  if (!orderId) return;
  const r = config.mix.reviewer;
  const deadline = Date.now() + r.waitSeconds * 1000;
  let status = '';
  while (Date.now() < deadline) {
    sleep(r.pollSeconds);
    const res = http.get(`${api}/orders/${orderId}`, {
      tags: { name: 'status' },
      timeout: config.requestTimeout,
    });
    status = res.status === 200 ? res.json('status') : '';
    if (status !== 'received' && status !== 'validating' && status !== 'pricing' && status !== 'fraud_check')
      break;
  }
  if (status !== 'awaiting_review') return; // the runner's reconciliation shows where it went
  sleep(r.thinkSeconds);
  const decision = Math.random() < r.approveShare ? 'approve' : 'reject';
  const res = http.post(
    `${api}/orders/${orderId}/review`,
    JSON.stringify({ decision, reviewer: 'load-reviewer@example.com' }),
    {
      headers: { 'content-type': 'application/json' },
      tags: { name: 'review' },
      timeout: config.requestTimeout,
    },
  );
  if (check(res, { 'review recorded': (x) => x.status === 200 })) reviews.add(1, { decision });
}
