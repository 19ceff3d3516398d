// The error codes the router adds to the pipelines' own (which it relays unchanged).
export const OrderRouterErrors = {
  /** The pipeline the order belongs to did not answer (refused, reset, or past the upstream timeout). */
  upstreamUnavailable: 'UPSTREAM_UNAVAILABLE',
  invalidOrderId: 'INVALID_ORDER_ID',
} as const;
