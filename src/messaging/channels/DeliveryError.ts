/**
 * A channel refused a message. `permanent` failures (bounced address, revoked token, rejected request) are
 * recorded and never retried; the others are retried with backoff.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** `bounced` for a refused recipient, `rejected` for a refused request, `unavailable` for transient trouble. */
    readonly kind: 'bounced' | 'rejected' | 'unavailable',
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
