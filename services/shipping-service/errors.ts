// The error codes shipping-service answers with (`{"error":{"code",...}}`), one per meaning; its source throws
// these constants, the README lists them. Platform codes (VALIDATION_FAILED, ...) are not here.
export const ShippingErrors = {
  shipmentNotFound: 'SHIPMENT_NOT_FOUND',
  shipmentIdConflict: 'SHIPMENT_ID_CONFLICT',
  shipmentAlreadyInTransit: 'SHIPMENT_ALREADY_IN_TRANSIT',
  shipmentCancelled: 'SHIPMENT_CANCELLED',
  undeliverableAddress: 'UNDELIVERABLE_ADDRESS',
  carrierTimeout: 'CARRIER_TIMEOUT',
} as const;
