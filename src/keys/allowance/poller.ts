import type { Clock } from '../../runtime/clock.js';
import { every, type Interval } from '../../runtime/interval.js';
import type { StateStore } from '../../state/store.js';
import type { FetchAllowance } from './fetch.js';
import { allowanceClaimName, allowanceValueName, readStoredAllowance } from './stored.js';
import type { KeyAllowance } from './types.js';

/** A credential whose allowance is checked: its fingerprint and how to get its Authorization value. */
export interface AllowanceTarget {
  fingerprint: string;
  /** May wait (a refresh token being refreshed) or fail (none to be had): the check is then "unknown". */
  authorization: () => Promise<string>;
}

export interface AllowancePollerOptions {
  store: StateStore;
  clock: Clock;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** How often each key is checked (usage_check_interval). */
  intervalMs: number;
  /** Upstream requests per second at most (usage_check_rate); a check is REQUESTS_PER_CHECK requests. */
  ratePerSecond: number;
  fetch: FetchAllowance;
  /** The credentials to check, read at each tick (the pool changes with reloads). */
  targets: () => readonly AllowanceTarget[];
  /** Hands a fresh check to the pool (rest, expiring-first). */
  apply: (fp: string, allowance: KeyAllowance) => void;
}

/** One check asks both usage endpoints. */
export const REQUESTS_PER_CHECK = 2;
const TICK_MS = 1_000;
/** A key another replica claimed but has not reported yet is read again after this long. */
const RECHECK_CLAIMED_MS = 5_000;
/**
 * How long a claim keeps other replicas off a key if its holder never reports (it stopped):
 * longer than one check (both requests time out well before).
 */
const CLAIM_MS = 60_000;
/** Store reads per tick, so a start with 10,000 keys does not read them all at once. */
const READS_PER_TICK = 100;

/**
 * Checks each key's allowance at start, every interval, soon after a 402, and on demand, at
 * no more than `ratePerSecond` upstream requests (a token bucket refilled by the clock).
 * Replicas sharing a store check each key once per interval between them: a check is made by
 * whoever claims the key's lease for the interval; the others read its result from the store.
 */
export class AllowancePoller {
  readonly #known = new Map<string, KeyAllowance>();
  readonly #due = new Map<string, number>();
  readonly #urgent = new Set<string>();
  readonly #problemsLogged = new Set<string>();
  #tokens: number;
  #refilledAt: number;
  #cursor = 0;
  #running: Promise<void> | undefined;
  #timer: Interval | undefined;

  constructor(private readonly options: AllowancePollerOptions) {
    this.#tokens = Math.max(options.ratePerSecond, REQUESTS_PER_CHECK);
    this.#refilledAt = options.clock.now();
  }

  /** Starts the periodic checks (the first tick at once). */
  start(): void {
    if (this.#timer) return;
    this.#timer = every(TICK_MS, () => void this.tick());
    void this.tick();
  }

  stop(): void {
    this.#timer?.stop();
    this.#timer = undefined;
  }

  /** The latest check of a key, made here or by another replica. */
  allowanceOf(fp: string): KeyAllowance | undefined {
    return this.#known.get(fp);
  }

  /** Checks a key at the next tick whatever its schedule (after a 402). */
  soon(fp: string): void {
    this.#urgent.add(fp);
  }

  /** Checks a key now (admin request); undefined when no such credential. */
  async checkNow(fp: string): Promise<KeyAllowance | undefined> {
    const target = this.options.targets().find((t) => t.fingerprint === fp);
    if (!target) return undefined;
    return this.#check(target);
  }

  /** One round: the due keys, in turn, as far as the request budget goes. Overlapping calls share the round. */
  tick(): Promise<void> {
    this.#running ??= this.#round().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #round(): Promise<void> {
    const now = this.options.clock.now();
    this.#refill(now);
    const targets = this.options.targets();
    const checks: Array<Promise<unknown>> = [];
    let reads = 0;
    for (let i = 0; i < targets.length && reads < READS_PER_TICK; i++) {
      const target = targets[(this.#cursor + i) % targets.length]!;
      const fp = target.fingerprint;
      const urgent = this.#urgent.has(fp);
      if (!urgent && (this.#due.get(fp) ?? 0) > now) continue;
      let stored: KeyAllowance | undefined;
      if (!urgent) {
        reads++;
        stored = readStoredAllowance(await this.options.store.getValue(allowanceValueName(fp)));
        if (stored && this.#fresh(stored, now)) {
          this.#accept(fp, stored, now);
          continue;
        }
      }
      if (this.#tokens < REQUESTS_PER_CHECK) {
        // Out of budget: the next round starts here, so every key gets its turn.
        this.#cursor = (this.#cursor + i) % targets.length;
        break;
      }
      // Replicas that found the same stale check race for the right to replace it: one wins.
      const claim = allowanceClaimName(fp, stored?.checkedAt ?? 0);
      const claimed = urgent || ((await this.options.store.claim?.(claim, now + CLAIM_MS, now)) ?? true);
      if (!claimed) {
        this.#due.set(fp, now + RECHECK_CLAIMED_MS);
        continue;
      }
      this.#urgent.delete(fp);
      this.#tokens -= REQUESTS_PER_CHECK;
      checks.push(this.#check(target));
    }
    await Promise.all(checks);
  }

  /** A check is fresh within its interval, and until one of its windows resets. */
  #fresh(allowance: KeyAllowance, now: number): boolean {
    if (allowance.checkedAt + this.options.intervalMs <= now) return false;
    return allowance.windows.every((w) => w.endsAt === undefined || w.endsAt <= allowance.checkedAt || w.endsAt > now);
  }

  #refill(now: number): void {
    const cap = Math.max(this.options.ratePerSecond, REQUESTS_PER_CHECK);
    this.#tokens = Math.min(cap, this.#tokens + ((now - this.#refilledAt) / 1000) * this.options.ratePerSecond);
    this.#refilledAt = now;
  }

  async #check(target: AllowanceTarget): Promise<KeyAllowance> {
    const allowance = await target.authorization().then(
      (authorization) => this.options.fetch(authorization),
      (): KeyAllowance => ({ checkedAt: this.options.clock.now(), windows: [], overageAllowed: false, problem: 'no usable credential' }),
    );
    this.#logProblem(target.fingerprint, allowance);
    this.#accept(target.fingerprint, allowance, this.options.clock.now());
    await this.options.store.setValue(allowanceValueName(target.fingerprint), JSON.stringify(allowance)).catch((err: unknown) => {
      this.options.log.warn({ key: target.fingerprint, err: err instanceof Error ? err.message : String(err) }, 'allowance check not stored');
    });
    return allowance;
  }

  /** Keeps a check and schedules the next: after the interval, or right after a window resets. */
  #accept(fp: string, allowance: KeyAllowance, now: number): void {
    this.#known.set(fp, allowance);
    let next = allowance.checkedAt + this.options.intervalMs;
    for (const w of allowance.windows) if (w.endsAt !== undefined && w.endsAt > now) next = Math.min(next, w.endsAt);
    this.#due.set(fp, next);
    this.options.apply(fp, allowance);
  }

  /** An endpoint that answers nothing usable is logged once per key and problem, not every interval. */
  #logProblem(fp: string, allowance: KeyAllowance): void {
    if (allowance.problem === undefined) return;
    const seen = `${fp} ${allowance.problem}`;
    if (this.#problemsLogged.has(seen)) return;
    this.#problemsLogged.add(seen);
    this.options.log.info({ key: fp, problem: allowance.problem }, 'allowance unknown: the key stays in service');
  }
}
