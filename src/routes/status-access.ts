import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessSettings } from '../config/access.js';
import { GatewayError } from '../errors.js';
import type { Services } from '../services.js';
import { adminKeyMatches, presentedAdminKey } from './admin-auth.js';
import type { AuthFailureLimiter } from './auth-limiter.js';
import { gatewayKeyAuthenticator, presentedKey, tooManyFailures } from './client-auth.js';
import { StatusSessions, sessionToken } from './status-session.js';

/** What a check concludes: let through, or the error to answer with (`presented`: a key was sent). */
type Outcome = { ok: true } | { ok: false; error: GatewayError; presented: boolean };
const OK: Outcome = { ok: true };

/**
 * Who may see /status, /status.json, /metrics and use /admin/api: with ADMIN_KEY only its
 * holder (header or the sign-in session); without it but with GATEWAY_API_KEY a gateway key
 * reads (there is no admin API then); with neither, everyone, as before.
 * STATUS_PUBLIC / METRICS_PUBLIC open the pages again.
 */
export class StatusAccess {
  readonly sessions: StatusSessions | undefined;
  readonly what: 'admin key' | 'gateway API key';
  /** The key a request presents, and whether a key is the right one; undefined: open gateway. */
  readonly #presented: ((request: FastifyRequest) => string | undefined) | undefined;
  readonly #right: (key: string) => boolean = () => false;

  constructor(
    services: Services,
    private readonly access: AccessSettings,
    private readonly limiter: AuthFailureLimiter,
  ) {
    const adminKey = services.settings.adminKey;
    const gateway = access.gatewayKeys.length > 0 ? gatewayKeyAuthenticator(access.gatewayKeys) : undefined;
    this.what = adminKey ? 'admin key' : 'gateway API key';
    if (adminKey) {
      this.#presented = (request) => presentedAdminKey(request.headers);
      this.#right = (key) => adminKeyMatches(key, adminKey);
    } else if (gateway) {
      this.#presented = (request) => presentedKey(request.headers, request.query);
      this.#right = (key) => gateway(key) !== undefined;
    }
    const secret = adminKey ?? (access.gatewayKeys.length > 0 ? access.gatewayKeys.join(';') : undefined);
    this.sessions = secret === undefined ? undefined : new StatusSessions(secret, services.clock);
    if (this.#presented && access.statusPublic) services.log.warn('STATUS_PUBLIC=true: /status and /status.json are open to anyone who can reach the gateway');
    if (this.#presented && access.metricsPublic) services.log.warn('METRICS_PUBLIC=true: /metrics is open to anyone who can reach the gateway');
  }

  /** A presented key checked, with the limiter: a wrong one counts against the address. */
  async checkKey(request: FastifyRequest, key: string): Promise<Outcome> {
    if (this.#right(key)) {
      const wait = this.limiter.blockedFor(request.ip);
      return wait === undefined ? OK : { ok: false, error: tooManyFailures(wait), presented: true };
    }
    const wait = await this.limiter.fail(request.ip);
    const error = wait === undefined ? this.#unauthenticated() : tooManyFailures(wait);
    return { ok: false, error, presented: true };
  }

  /** Whether this request may see the page; `open` says the page is public. */
  async check(request: FastifyRequest, open = false): Promise<Outcome> {
    if (open || this.#presented === undefined) return OK;
    // A key presented is judged even with a session: a wrong one is wrong.
    const presented = this.#presented(request);
    if (presented === undefined && this.sessions?.valid(sessionToken(request))) return OK;
    if (presented === undefined) return { ok: false, error: this.#unauthenticated(), presented: false };
    return this.checkKey(request, presented);
  }

  #unauthenticated(): GatewayError {
    const how = this.what === 'admin key' ? 'Authorization: Bearer <ADMIN_KEY> or x-admin-key' : 'Authorization: Bearer <GATEWAY_API_KEY>';
    return new GatewayError('authentication', `Missing or wrong ${this.what} (${how}, or sign in on /status)`);
  }

  /** onRequest hook for JSON routes (/status.json, /metrics, /admin/api). */
  hook(open: boolean) {
    return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
      const outcome = await this.check(request, open);
      if (!outcome.ok) throw outcome.error;
    };
  }
}
