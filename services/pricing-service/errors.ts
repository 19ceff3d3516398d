// The error codes pricing-service answers with (`{"error":{"code",...}}`), one per meaning; its source throws
// these constants, the README's error table lists them. Platform codes (VALIDATION_FAILED, ...) are not here.
export const PricingErrors = {
  /** A SKU with no price: 404 on an admin read, 422 when a quote cannot be priced. */
  skuNotFound: 'SKU_NOT_FOUND',
  invalidCoupon: 'INVALID_COUPON',
  couponExpired: 'COUPON_EXPIRED',
  couponMinimumNotMet: 'COUPON_MINIMUM_NOT_MET',
  couponNotFound: 'COUPON_NOT_FOUND',
} as const;
