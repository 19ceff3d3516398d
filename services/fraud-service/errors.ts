// The error codes fraud-service answers with (`{"error":{"code",...}}`), one per meaning; its source throws
// these constants, the README lists them. Platform codes (VALIDATION_FAILED, ...) are not here.
export const FraudErrors = {
  assessmentNotFound: 'ASSESSMENT_NOT_FOUND',
  reviewAlreadyRecorded: 'REVIEW_ALREADY_RECORDED',
  overloaded: 'OVERLOADED',
} as const;
