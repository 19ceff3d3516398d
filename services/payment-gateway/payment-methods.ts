// Stripe's test-mode PaymentMethod tokens (docs.stripe.com/testing): `pm_card_visa` succeeds,
// `pm_card_chargeDeclined*` fail at authorization with the documented code and decline_code. As on Stripe,
// passing a token creates a fresh `pm_...` object, and that id is what the PaymentIntent then shows.

export interface Decline {
  /** The error's `code`: card_declined for issuer declines, or a specific one such as expired_card. */
  readonly code: string;
  readonly declineCode: string;
  readonly message: string;
  readonly param?: string;
}

export interface CardTemplate {
  readonly brand: 'visa' | 'mastercard' | 'amex' | 'discover';
  readonly last4: string;
  readonly funding: 'credit' | 'debit';
  readonly decline?: Decline;
}

const declined = (last4: string, decline: Decline): CardTemplate => ({
  brand: 'visa',
  last4,
  funding: 'credit',
  decline,
});

export const testPaymentMethods: Readonly<Record<string, CardTemplate>> = {
  pm_card_visa: { brand: 'visa', last4: '4242', funding: 'credit' },
  pm_card_visa_debit: { brand: 'visa', last4: '5556', funding: 'debit' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', funding: 'credit' },
  pm_card_amex: { brand: 'amex', last4: '8431', funding: 'credit' },
  pm_card_discover: { brand: 'discover', last4: '1117', funding: 'credit' },
  pm_card_chargeDeclined: declined('0002', {
    code: 'card_declined',
    declineCode: 'generic_decline',
    message: 'Your card was declined.',
  }),
  pm_card_chargeDeclinedInsufficientFunds: declined('9995', {
    code: 'card_declined',
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  }),
  pm_card_chargeDeclinedFraudulent: declined('0019', {
    code: 'card_declined',
    declineCode: 'fraudulent',
    message: 'Your card was declined.',
  }),
  pm_card_chargeDeclinedLostCard: declined('9987', {
    code: 'card_declined',
    declineCode: 'lost_card',
    message: 'Your card was declined.',
  }),
  pm_card_chargeDeclinedStolenCard: declined('9979', {
    code: 'card_declined',
    declineCode: 'stolen_card',
    message: 'Your card was declined.',
  }),
  pm_card_chargeDeclinedExpiredCard: declined('0069', {
    code: 'expired_card',
    declineCode: 'expired_card',
    message: 'Your card has expired.',
    param: 'exp_month',
  }),
  pm_card_chargeDeclinedIncorrectCvc: declined('0127', {
    code: 'incorrect_cvc',
    declineCode: 'incorrect_cvc',
    message: "Your card's security code is incorrect.",
    param: 'cvc',
  }),
  pm_card_chargeDeclinedProcessingError: declined('0119', {
    code: 'processing_error',
    declineCode: 'processing_error',
    message: 'An error occurred while processing your card. Try again in a little bit.',
  }),
};

export const templateFor = (token: string): CardTemplate | undefined =>
  Object.hasOwn(testPaymentMethods, token) ? testPaymentMethods[token] : undefined;
