// The error codes customer-service answers with (`{"error":{"code",...}}`), one per meaning; its source throws
// these constants, the README's error table lists them. Platform codes (VALIDATION_FAILED, ...) are not here.
export const CustomerErrors = {
  customerNotFound: 'CUSTOMER_NOT_FOUND',
  customerExists: 'CUSTOMER_EXISTS',
} as const;
