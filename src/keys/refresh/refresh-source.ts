import { assertNever } from '../../runtime/guards.js';
import { GatewayError } from '../../errors.js';
import type { Clock } from '../../runtime/clock.js';
import { maskSecrets } from '../mask-secrets.js';
import { bearer, type CredentialLease, type CredentialRequest, type CredentialSource } from '../credential.js';
import { resolveRefreshOrigin, type RefreshOrigin } from './origin.js';
import {
  ACQUIRE_WAIT_MS,
  backoffMs,
  isUsable,
  MIN_REJECT_REFRESH_AGE_MS,
  proactiveRefreshAt,
  secondsUntil,
  type AccessToken,
} from './schedule.js';
import type { RefreshLog, RefreshSourceOptions, RefreshStats } from './types.js';
import { sleepUnlessAborted, waitAtMost } from './waits.js';
import { DEFAULT_REFRESH_URL, WorkosClient, type TokenPair } from './workos-client.js';

export type { RefreshLog, RefreshSourceOptions, RefreshStats } from './types.js';

/**
 * idle: no call in flight, the token (if any) is refreshed when due; refreshing: exactly one
 * WorkOS call in flight, everyone awaits `flight`; backoff: the last call failed, the next one
 * is at `retryAt`; closed: close() was called.
 */
type RefreshState =
  | { kind: 'idle' }
  | { kind: 'refreshing'; flight: Promise<void>; failures: number }
  | { kind: 'backoff'; failures: number; retryAt: number }
  | { kind: 'closed' };

/**
 * A WorkOS refresh token (DROID_REFRESH_KEY or ~/.factory/auth.json) exchanged for Factory
 * access tokens: at start, in the background before the token is 6 h old, lazily when a
 * request finds it older, and when the upstream refuses it. Fixes v1 defects 7 (one refresh
 * at a time, whoever asks) and 8 (the rotated token survives a restart; a failed start
 * refresh is retried with back-off instead of killing the process).
 */
export class RefreshTokenSource implements CredentialSource {
  #state: RefreshState = { kind: 'idle' };
  #refreshToken: string;
  #token: AccessToken | undefined;
  #loop: Promise<void> | undefined;
  #writes: Promise<void> = Promise.resolve();
  readonly #stop = new AbortController();
  readonly #stats: RefreshStats = { refreshes: 0, failures: 0, lastRefreshAt: undefined, lastError: undefined };

  constructor(
    private readonly origin: RefreshOrigin,
    private readonly deps: { clock: Clock; log: RefreshLog; client: WorkosClient },
  ) {
    this.#refreshToken = origin.refreshToken;
    this.#token = origin.accessToken;
  }

  /** Undefined when neither DROID_REFRESH_KEY nor a refresh token in ~/.factory/auth.json exists. */
  static fromEnvironment(env: NodeJS.ProcessEnv, options: RefreshSourceOptions): RefreshTokenSource | undefined {
    const origin = resolveRefreshOrigin(env, options);
    if (origin === undefined) return undefined;
    const url = env.DROID_REFRESH_URL?.trim() || DEFAULT_REFRESH_URL;
    const client = new WorkosClient({ url, dispatcher: options.dispatcher });
    return new RefreshTokenSource(origin, { clock: options.clock, log: options.log, client });
  }

  describe(): string {
    return `credential source: ${this.origin.label} (refresh token)`;
  }

  /** The tokens held now, for masking text that might echo one; never shown. */
  secrets(): string[] {
    return [this.#refreshToken, this.#token?.value ?? ''];
  }

  /** The account's fingerprint, which survives refreshes. */
  get fingerprint(): string {
    return this.origin.lineage;
  }

  stats(): RefreshStats {
    return { ...this.#stats };
  }

  /** Resolves once the first refresh attempt has finished, whatever its result; retries go on in the background. */
  async start(): Promise<void> {
    if (this.#loop !== undefined || this.#state.kind === 'closed') return;
    this.deps.log.info({ fingerprint: this.origin.lineage, source: this.origin.label, resumed: this.origin.resumed }, 'refresh token source starting');
    await this.#refresh();
    if (this.#loop === undefined) this.#loop = this.#run(this.#stop.signal);
  }

  async close(): Promise<void> {
    this.#state = { kind: 'closed' };
    this.#stop.abort();
    await this.#loop;
    // The last rotated token must be on disk before the process exits, or the next start has a consumed one.
    await this.#writes;
  }

  async acquire(_req: CredentialRequest): Promise<CredentialLease> {
    // There is a single credential whose fingerprint survives refreshes, so `exclude` cannot
    // tell a refused old token from the new one: it is ignored.
    const token = await this.#usableToken();
    return {
      authorization: bearer(token.value),
      fingerprint: this.origin.lineage,
      // Failover (acquire again) only makes sense when a refused token is being replaced.
      report: (outcome) => ({
        failover: (outcome.status === 401 || outcome.status === 403) && this.#onRefused(token, outcome.status),
      }),
      usage: () => undefined,
    };
  }

  async #usableToken(): Promise<AccessToken> {
    if (isUsable(this.#token, this.deps.clock.now())) return this.#token;
    const state = this.#state;
    switch (state.kind) {
      case 'closed':
        throw new GatewayError('upstream_unavailable', 'The refresh-token credential source is closed');
      case 'backoff':
        // Requests must not bypass the back-off: the background loop retries at retryAt.
        if (this.deps.clock.now() < state.retryAt) throw this.#unavailable(state.retryAt);
        break;
      case 'idle':
      case 'refreshing':
        break;
      default:
        assertNever(state);
    }
    await waitAtMost(this.deps.clock, this.#refresh(), ACQUIRE_WAIT_MS);
    const now = this.deps.clock.now();
    if (isUsable(this.#token, now)) return this.#token;
    const after = this.#state;
    throw this.#unavailable(after.kind === 'backoff' ? after.retryAt : now + ACQUIRE_WAIT_MS);
  }

  #unavailable(retryAt: number): GatewayError {
    const retryAfter = secondsUntil(retryAt, this.deps.clock.now());
    const reason = this.#stats.lastError === undefined ? '' : `: ${this.#stats.lastError}`;
    return new GatewayError('upstream_unavailable', `No Factory access token yet, the refresh token exchange is pending or failing${reason}`, {
      retryAfter,
      retryable: true,
    });
  }

  /** Single flight: joins the call in progress, or starts the one call everybody else will join. */
  #refresh(): Promise<void> {
    const state = this.#state;
    switch (state.kind) {
      case 'refreshing':
        return state.flight;
      case 'closed':
        return Promise.resolve();
      case 'idle':
      case 'backoff': {
        const failures = state.kind === 'backoff' ? state.failures : 0;
        const flight = this.#exchange(failures);
        this.#state = { kind: 'refreshing', flight, failures };
        return flight;
      }
      default:
        return assertNever(state);
    }
  }

  /** One WorkOS call and its bookkeeping; never rejects, so every awaiting request just re-checks the token. */
  async #exchange(failuresSoFar: number): Promise<void> {
    const { clock, log, client } = this.deps;
    const fields = { fingerprint: this.origin.lineage, source: this.origin.label };
    try {
      const external = await this.origin.store.externalRotation().catch(() => undefined);
      if (external !== undefined) {
        this.#refreshToken = external;
        log.info(fields, 'refresh token was rotated by another program; using the new one');
      }
      const pair = await client.exchange(this.#refreshToken, this.#stop.signal);
      if (this.#isClosed()) return;
      const obtainedAt = clock.now();
      this.#refreshToken = pair.refreshToken;
      this.#token = { value: pair.accessToken, obtainedAt, stale: false };
      this.#stats.refreshes += 1;
      this.#stats.lastRefreshAt = obtainedAt;
      this.#stats.lastError = undefined;
      // Idle before the write: a 401 for the new token during the write must start a new refresh.
      this.#state = { kind: 'idle' };
      log.info(fields, 'refresh token exchanged for a new access token');
      await this.#persist(pair, obtainedAt);
    } catch (err) {
      if (this.#isClosed()) return;
      const failures = failuresSoFar + 1;
      const delay = backoffMs(failures);
      const message = err instanceof GatewayError ? err.message : 'unexpected error during the refresh';
      this.#stats.failures += 1;
      // Shown on /status and logged: no token, even if a message ever came to carry one.
      this.#stats.lastError = maskSecrets(message, this.secrets());
      this.#state = { kind: 'backoff', failures, retryAt: clock.now() + delay };
      const level = err instanceof GatewayError && err.code === 'authentication' ? 'error' : 'warn';
      log[level]({ ...fields, failures, retryInMs: delay, error: this.#stats.lastError }, 'refresh token exchange failed');
    }
  }

  /** A method, not an inline test, because close() may flip the state during any await. */
  #isClosed(): boolean {
    return this.#state.kind === 'closed';
  }

  /** Writes are chained so two refreshes in quick succession land on disk in order. */
  #persist(pair: TokenPair, obtainedAt: number): Promise<void> {
    this.#writes = this.#writes.then(() => this.#save(pair, obtainedAt));
    return this.#writes;
  }

  /** Never rejects: a failed write loses only persistence, the new tokens stay in memory. */
  async #save(pair: TokenPair, obtainedAt: number): Promise<void> {
    try {
      await this.origin.store.save(pair, obtainedAt);
    } catch (err) {
      const code = err instanceof Error && 'code' in err ? String(err.code) : 'unknown';
      this.deps.log.error({ fingerprint: this.origin.lineage, error: code }, 'could not save the rotated refresh token');
    }
  }

  /** True when the refused token is (being) replaced, so acquiring again gives a different one. */
  #onRefused(token: AccessToken, status: number): boolean {
    // A late answer for a token already replaced (or already marked) must not refresh again.
    if (this.#token !== token) return true;
    if (token.stale) return this.#state.kind === 'refreshing';
    const fields = { fingerprint: this.origin.lineage, status };
    if (this.deps.clock.now() - token.obtainedAt < MIN_REJECT_REFRESH_AGE_MS) {
      this.deps.log.warn(fields, 'upstream refused a fresh access token; not refreshing again so soon');
      return false;
    }
    this.#token = { ...token, stale: true };
    this.deps.log.info(fields, 'upstream refused the access token; refreshing');
    if (this.#state.kind === 'idle') void this.#refresh();
    return this.#state.kind === 'refreshing';
  }

  /** The background loop: sleeps until the next refresh is due (proactive or back-off) and runs it. */
  async #run(signal: AbortSignal): Promise<void> {
    for (;;) {
      const state = this.#state;
      switch (state.kind) {
        case 'closed':
          return;
        case 'refreshing':
          await state.flight;
          continue;
        case 'idle':
        case 'backoff':
          break;
        default:
          assertNever(state);
      }
      const token = this.#token;
      const dueAt = state.kind === 'backoff' ? state.retryAt : token && !token.stale ? proactiveRefreshAt(token.obtainedAt) : 0;
      const wait = dueAt - this.deps.clock.now();
      // After a sleep the state may have changed (a request refreshed meanwhile): look again.
      if (wait > 0 && !(await sleepUnlessAborted(this.deps.clock, wait, signal))) return;
      if (wait <= 0) await this.#refresh();
    }
  }
}
