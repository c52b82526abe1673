import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError, codeForStatus } from '../errors.js';
import { isRecord } from '../runtime/guards.js';
import { maskSecrets } from '../keys/mask-secrets.js';
import { headerValue } from './session-ids.js';

const MAX_MESSAGE = 500;

/** The human message inside any provider's error body ({error:{message}}, {message}, {detail}). */
export function upstreamMessage(bodyText: string, secrets: Iterable<string> = []): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const candidates = [
    isRecord(json) && isRecord(json.error) ? json.error.message : undefined,
    isRecord(json) && typeof json.error === 'string' ? json.error : undefined,
    isRecord(json) ? json.message : undefined,
    isRecord(json) ? json.detail : undefined,
  ];
  const found = candidates.find((c): c is string => typeof c === 'string' && c.length > 0);
  // Masked before it is cut, so a key across the cut is not left half shown (a key is far
  // shorter than the margin; the margin bounds the masking work on a huge body).
  return found === undefined ? undefined : maskSecrets(found.slice(0, MAX_MESSAGE * 4), secrets).slice(0, MAX_MESSAGE);
}

/** Retry-After as seconds (integer seconds or an HTTP date, relative to `now` in ms). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * A non-2xx upstream answer as a GatewayError keeping the status, message and Retry-After.
 * The message goes to the client, the log and the key's last error: `secrets` and anything
 * shaped like a key are masked, as an upstream may echo the key it was called with.
 */
export function upstreamHttpError(status: number, headers: IncomingHttpHeaders, bodyText: string, now: number, secrets: Iterable<string> = []): GatewayError {
  const message = upstreamMessage(bodyText, secrets) ?? `upstream answered HTTP ${status}`;
  return new GatewayError(codeForStatus(status), message, {
    status,
    retryAfter: parseRetryAfter(headerValue(headers, 'retry-after'), now),
    retryable: status === 429 || status >= 500,
  });
}
