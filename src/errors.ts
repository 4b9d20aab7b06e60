/**
 * Error factories: every error that can reach a client has an HTTP status, a stable id and
 * whether it is worth reporting. Jobs treat non-retryable errors as permanent failures.
 */
export class KeepupError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly id: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'KeepupError';
  }
}

export const ValidationError = (message = 'Invalid input') => new KeepupError(message, 400, 'validation_error');
export const AuthenticationError = (message = 'Authentication required') =>
  new KeepupError(message, 401, 'authentication_required');
export const AuthorizationError = (message = 'Not allowed') => new KeepupError(message, 403, 'authorization_error');
export const NotFoundError = (message = 'Not found') => new KeepupError(message, 404, 'not_found');
export const ConflictError = (message = 'Conflict') => new KeepupError(message, 409, 'conflict');
export const RateLimitError = (message = 'Too many requests') => new KeepupError(message, 429, 'rate_limited', true);
export const UnavailableError = (message = 'Service unavailable') => new KeepupError(message, 503, 'unavailable', true);

/** True when an error is one the client caused (4xx): retrying it will not help. */
export function isPermanent(error: unknown): boolean {
  return error instanceof KeepupError && error.status >= 400 && error.status < 500 && !error.retryable;
}
