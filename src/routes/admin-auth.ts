import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The admin key a request presents: `Authorization: Bearer <key>` or `x-admin-key: <key>`. */
export function presentedAdminKey(headers: IncomingHttpHeaders): string | undefined {
  const direct = headers['x-admin-key'];
  if (typeof direct === 'string' && direct !== '') return direct;
  const auth = headers.authorization;
  const m = typeof auth === 'string' ? /^bearer\s+(.+)$/i.exec(auth.trim()) : null;
  return m?.[1];
}

/**
 * Constant-time comparison: hashing both sides first makes the buffers the same length, so
 * timingSafeEqual neither throws nor leaks the admin key's length.
 */
export function adminKeyMatches(presented: string | undefined, adminKey: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(adminKey).digest();
  return timingSafeEqual(a, b);
}
