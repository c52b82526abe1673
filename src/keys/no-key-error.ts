import { GatewayError } from '../errors.js';
import type { KeyRecord } from '../state/store.js';

/** Seconds a client is told to wait when no key is usable and none is merely cooling. */
const DEFAULT_RETRY_AFTER = 60;

/**
 * The answer when no key is usable: 429 when every key is only cooling, else 503; with
 * Retry-After at the soonest cooldown end and the counts of retired, disabled and cooling keys.
 */
export function noUsableKeyError(records: readonly KeyRecord[], now: number): GatewayError {
  const count = (status: KeyRecord['status']) => records.filter((r) => r.status === status).length;
  const retired = count('retired');
  const disabled = count('disabled');
  const cooling = records.filter((r) => r.status === 'cooling' && (r.coolingUntil ?? 0) > now);
  const soonest = Math.min(...cooling.map((r) => r.coolingUntil ?? now));
  const retryAfter = cooling.length > 0 ? Math.max(1, Math.ceil((soonest - now) / 1000)) : DEFAULT_RETRY_AFTER;
  const message =
    `No usable Factory key: ${records.length} configured, ${retired} retired, ${disabled} disabled, ${cooling.length} cooling down` +
    (cooling.length > 0 ? `; the first is usable again in ${retryAfter}s` : '');
  const allCooling = records.length > 0 && cooling.length === records.length;
  return allCooling
    ? new GatewayError('rate_limited', message, { status: 429, retryAfter })
    : new GatewayError('upstream_unavailable', message, { status: 503, retryAfter });
}
