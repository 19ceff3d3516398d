// The error codes tax-service answers with (`{"error":{"code",...}}`), one per meaning; its source throws these
// constants, the README's error table lists them. Platform codes (VALIDATION_FAILED, ...) are not here.
export const TaxErrors = {
  unsupportedJurisdiction: 'UNSUPPORTED_JURISDICTION',
  invalidPostalCode: 'INVALID_POSTAL_CODE',
  jurisdictionNotFound: 'JURISDICTION_NOT_FOUND',
} as const;
