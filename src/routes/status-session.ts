import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../runtime/clock.js';

export const SESSION_COOKIE = 'd2a_status';
/** A sign-in lasts a working day; signing in again is one form. */
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * Stateless sign-in tokens for /status: an issue time and its HMAC under a key derived from
 * the secret that signed in (ADMIN_KEY, or the gateway keys). Every worker and replica checks
 * them alike, changing the secret ends every session, and the cookie never holds the key.
 */
export class StatusSessions {
  readonly #key: Buffer;

  constructor(secret: string, private readonly clock: Clock) {
    this.#key = createHash('sha256').update('droid2api status session\0').update(secret).digest();
  }

  issue(): string {
    const issued = String(this.clock.now());
    return `${issued}.${this.#mac(issued)}`;
  }

  valid(token: string | undefined): boolean {
    if (token === undefined) return false;
    const [issued, mac] = token.split('.', 2);
    if (!issued || !mac || !/^\d{1,15}$/.test(issued)) return false;
    const age = this.clock.now() - Number(issued);
    if (age < 0 || age > SESSION_TTL_MS) return false;
    const expected = Buffer.from(this.#mac(issued));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The Set-Cookie value: HttpOnly, SameSite=Strict, Secure when the request came over https. */
  cookie(request: FastifyRequest, token: string | undefined): string {
    const secure = request.protocol === 'https' ? '; Secure' : '';
    const value = token === undefined ? '; Max-Age=0' : `; Max-Age=${SESSION_TTL_MS / 1000}`;
    return `${SESSION_COOKIE}=${token ?? ''}; HttpOnly; SameSite=Strict; Path=/${value}${secure}`;
  }

  #mac(issued: string): string {
    return createHmac('sha256', this.#key).update(issued).digest('base64url');
  }
}

/** The session token a request carries, if any. */
export function sessionToken(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}
