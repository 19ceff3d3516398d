// The error codes inventory-service answers with (`{"error":{"code",...}}`), one per meaning; its source throws
// these constants, the README's error table lists them. Platform codes (VALIDATION_FAILED, ...) are not here.
export const InventoryErrors = {
  skuNotFound: 'SKU_NOT_FOUND',
  reservationNotFound: 'RESERVATION_NOT_FOUND',
  insufficientStock: 'INSUFFICIENT_STOCK',
  reservationConflict: 'RESERVATION_CONFLICT',
  reservationNotHeld: 'RESERVATION_NOT_HELD',
  reservationCommitted: 'RESERVATION_COMMITTED',
  stockBelowReserved: 'STOCK_BELOW_RESERVED',
} as const;
