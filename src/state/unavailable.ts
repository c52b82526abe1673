import { GatewayError } from '../errors.js';

const DETAIL = 'state_store_unavailable';

/**
 * The shared state store (Redis) cannot be reached: the admin API answers 503 at once, in its
 * own shape, instead of hanging or failing with a 500. Requests keep being served.
 */
export function storeUnavailable(cause?: unknown): GatewayError {
  return new GatewayError('upstream_unavailable', 'The shared state store (Redis) is unreachable; try again shortly', { status: 503, detail: DETAIL, retryAfter: 5, cause });
}

export function isStoreUnavailable(err: unknown): boolean {
  return err instanceof GatewayError && err.detail === DETAIL;
}
