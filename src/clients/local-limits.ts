import { nextUtcDay, nextUtcMonth, utcDayStart, utcMonthStart } from './calendar.js';
import type { ClientLimits } from './client-record.js';
import type { Refusal } from './refusal.js';

const WINDOW_S = 60;

/** What a client did recently, for /status.json and the admin list. */
export interface ClientUsageNow {
  minute: { requests: number; tokens: number };
  today: { requests: number; tokens: number };
  month: { requests: number; tokens: number };
  in_flight: number;
  last_used_at: number | null;
}

/** Counts a process holds about one client: a per-second ring for the rolling minute, the UTC day and month, requests in flight. */
class Counters {
  readonly secs = new Float64Array(WINDOW_S).fill(-1);
  readonly requests = new Float64Array(WINDOW_S);
  readonly tokens = new Float64Array(WINDOW_S);
  dayStart = 0;
  dayEnd = 0;
  monthEnd = 0;
  dayRequests = 0;
  dayTokens = 0;
  monthStart = 0;
  monthRequests = 0;
  monthTokens = 0;
  inFlight = 0;
  lastUsed: number | null = null;

  /** The ring slot of the second `at` falls in, emptied if it held an older second. */
  slot(at: number): number {
    const sec = Math.floor(at / 1000);
    const i = sec % WINDOW_S;
    if (this.secs[i] !== sec) {
      this.secs[i] = sec;
      this.requests[i] = 0;
      this.tokens[i] = 0;
    }
    return i;
  }

  /** A new UTC day or month starts from zero; within the current ones this is two comparisons. */
  roll(now: number): void {
    if (now >= this.dayStart && now < this.dayEnd) return;
    const day = utcDayStart(now);
    if (day !== this.dayStart) {
      this.dayStart = day;
      this.dayEnd = nextUtcDay(now);
      this.dayRequests = 0;
      this.dayTokens = 0;
    }
    const month = utcMonthStart(now);
    if (month !== this.monthStart) {
      this.monthStart = month;
      this.monthEnd = nextUtcMonth(now);
      this.monthRequests = 0;
      this.monthTokens = 0;
    }
  }

  addRequests(now: number, n: number): void {
    this.requests[this.slot(now)]! += n;
    this.dayRequests += n;
    this.monthRequests += n;
  }

  addTokens(now: number, n: number): void {
    this.tokens[this.slot(now)]! += n;
    this.dayTokens += n;
    this.monthTokens += n;
  }

  /** Sum over the last minute of one series, and when its oldest counted second leaves the window. */
  window(series: Float64Array, now: number): { sum: number; freesAt: number } {
    const sec = Math.floor(now / 1000);
    let sum = 0;
    let oldest = Infinity;
    for (let i = 0; i < WINDOW_S; i++) {
      const s = this.secs[i]!;
      if (s > sec - WINDOW_S && series[i]! > 0) {
        sum += series[i]!;
        if (s < oldest) oldest = s;
      }
    }
    return { sum, freesAt: oldest === Infinity ? now : (oldest + WINDOW_S) * 1000 };
  }
}

/**
 * Client limits as one process counts them: in memory, each check a few array reads (no
 * allocation on the admitted path). The primary holds one for all its WORKERS; with Redis
 * each replica keeps one as its fallback while Redis is unreachable.
 */
export class LocalLimits {
  readonly #clients = new Map<string, Counters>();

  #counters(id: string, now: number): Counters {
    let c = this.#clients.get(id);
    if (c === undefined) this.#clients.set(id, (c = new Counters()));
    c.roll(now);
    return c;
  }

  /** Admits a request (counted, in flight) or says which limit refuses it. */
  admit(id: string, limits: Readonly<ClientLimits>, now: number): Refusal | undefined {
    const c = this.#counters(id, now);
    const refusal = check(c, limits, now);
    if (refusal) return refusal;
    c.addRequests(now, 1);
    c.inFlight += 1;
    c.lastUsed = now;
    return undefined;
  }

  /** Counts a request another counter admitted (Redis), so this one can stand in for it later. */
  count(id: string, now: number): void {
    const c = this.#counters(id, now);
    c.addRequests(now, 1);
    c.inFlight += 1;
    c.lastUsed = now;
  }

  /** An admitted request ended, having spent `tokens`. */
  finish(id: string, tokens: number, now: number): void {
    const c = this.#counters(id, now);
    c.inFlight = Math.max(0, c.inFlight - 1);
    if (tokens > 0) c.addTokens(now, tokens);
    c.lastUsed = now;
  }

  /** Usage spent earlier (read back after a restart, or caught up from elsewhere), counted in its day and month. */
  seedPeriods(id: string, at: number, requests: number, tokens: number, now: number): void {
    const c = this.#counters(id, now);
    if (at >= c.dayStart) {
      c.dayRequests += requests;
      c.dayTokens += tokens;
    }
    if (at >= c.monthStart) {
      c.monthRequests += requests;
      c.monthTokens += tokens;
    }
    if (c.lastUsed === null || at > c.lastUsed) c.lastUsed = at;
  }

  /** Usage spent earlier at `at`, counted in the rolling minute if `at` is still in it. */
  seedWindow(id: string, at: number, requests: number, tokens: number, now: number): void {
    if (now - at >= WINDOW_S * 1000 || at > now) return;
    const c = this.#counters(id, now);
    const i = c.slot(at);
    c.requests[i]! += requests;
    c.tokens[i]! += tokens;
  }

  usage(id: string, now: number): ClientUsageNow {
    const c = this.#counters(id, now);
    return {
      minute: { requests: c.window(c.requests, now).sum, tokens: c.window(c.tokens, now).sum },
      today: { requests: c.dayRequests, tokens: c.dayTokens },
      month: { requests: c.monthRequests, tokens: c.monthTokens },
      in_flight: c.inFlight,
      last_used_at: c.lastUsed,
    };
  }

  /** A client deleted: its counts go. */
  forget(id: string): void {
    this.#clients.delete(id);
  }
}

/** The first limit that refuses a new request now, in the order a client can act on. */
function check(c: Counters, limits: Readonly<ClientLimits>, now: number): Refusal | undefined {
  if (limits.concurrency !== undefined && c.inFlight >= limits.concurrency) return { limit: 'concurrency', value: limits.concurrency, retryAfterMs: 1000 };
  if (limits.rpm !== undefined) {
    const w = c.window(c.requests, now);
    if (w.sum >= limits.rpm) return { limit: 'rpm', value: limits.rpm, retryAfterMs: w.freesAt - now };
  }
  if (limits.tpm !== undefined) {
    const w = c.window(c.tokens, now);
    if (w.sum >= limits.tpm) return { limit: 'tpm', value: limits.tpm, retryAfterMs: w.freesAt - now };
  }
  if (limits.tokens_per_day !== undefined && c.dayTokens >= limits.tokens_per_day) return { limit: 'tokens_per_day', value: limits.tokens_per_day, retryAfterMs: c.dayEnd - now };
  if (limits.tokens_per_month !== undefined && c.monthTokens >= limits.tokens_per_month) return { limit: 'tokens_per_month', value: limits.tokens_per_month, retryAfterMs: c.monthEnd - now };
  return undefined;
}
