// The error codes notification-service answers with (`{"error":{"code",...}}`), one per meaning; its source
// throws these constants, the README lists them. Platform codes (VALIDATION_FAILED, ...) are not here.
export const NotificationErrors = {
  notificationNotFound: 'NOTIFICATION_NOT_FOUND',
  notificationIdConflict: 'NOTIFICATION_ID_CONFLICT',
  providerUnavailable: 'PROVIDER_UNAVAILABLE',
} as const;
