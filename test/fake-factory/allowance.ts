/**
 * Factory's usage endpoints, faked: per-key allowances that tests set, tokens counted from
 * the answers the fake gives, and windows that reset. Shapes as public clients read them:
 *
 *   GET /api/organization/members/chat-usage  {usage:{startDate,endDate,standard:{…},premium:{…}}}
 *   GET /api/billing/limits                   {limits:{<plan>:{<period>:{usedPercent,windowEnd,secondsRemaining}}},extraUsageAllowed,…}
 */
import type { Reply } from './reply.js';

export const CHAT_USAGE_PATH = '/api/organization/members/chat-usage';
export const BILLING_LIMITS_PATH = '/api/billing/limits';

/** A status to answer instead, or a body of the wrong shape. */
export type FakeUsageAnswer = number | 'malformed';

export interface FakeLimitWindow {
  usedPercent: number;
  /** Epoch ms. */
  windowEnd: number;
  /** Tokens that make 100 %: answers raise usedPercent by their share. Without it the percentage only moves when set. */
  limitTokens?: number;
  /** Window length, for the reset; default by period name (fiveHour, weekly, monthly). */
  periodMs?: number;
}

export interface FakeAllowance {
  /** chat-usage's monthly window; without it chat-usage answers 404. Dates in epoch ms. */
  standard?: { totalAllowance: number; userTokens?: number; startDate: number; endDate: number; orgOverageLimit?: number };
  premium?: { totalAllowance: number; userTokens?: number };
  /** billing/limits windows by plan and period; without them billing/limits answers 404. */
  limits?: Record<string, Record<string, FakeLimitWindow>>;
  extraUsageAllowed?: boolean;
  chatUsageAnswer?: FakeUsageAnswer;
  limitsAnswer?: FakeUsageAnswer;
}

const PERIOD_MS: Record<string, number> = { fiveHour: 5 * 3_600_000, weekly: 7 * 86_400_000, monthly: 30 * 86_400_000 };

const json = (status: number, body: unknown): Reply => ({ kind: 'json', status, headers: {}, body, cut: false });

function copy(a: FakeAllowance): FakeAllowance {
  return structuredClone(a);
}

/** Per-key allowances; one instance per fake server. */
export class FakeAllowances {
  readonly #byKey = new Map<string, FakeAllowance>();

  set(key: string, allowance: FakeAllowance | undefined): void {
    if (allowance === undefined) this.#byKey.delete(key);
    else this.#byKey.set(key, copy(allowance));
  }

  /** The key's allowance as it stands at `now` (windows reset, answers counted). */
  get(key: string, now: number): FakeAllowance | undefined {
    const a = this.#byKey.get(key);
    if (a) this.#roll(a, now);
    return a && copy(a);
  }

  clear(): void {
    this.#byKey.clear();
  }

  /** Whether Factory would refuse the key's requests now (402): a window spent and no extra usage. */
  exhausted(key: string, now: number): boolean {
    const a = this.#byKey.get(key);
    if (!a || a.extraUsageAllowed) return false;
    this.#roll(a, now);
    const standard = a.standard && (a.standard.userTokens ?? 0) >= a.standard.totalAllowance;
    const limited = Object.values(a.limits ?? {}).some((plan) => Object.values(plan).some((w) => w.usedPercent >= 100));
    return Boolean(standard) || limited;
  }

  /** Counts the tokens of one answer against the key's windows. */
  spend(key: string, tokens: number, now: number): void {
    const a = this.#byKey.get(key);
    if (!a) return;
    this.#roll(a, now);
    if (a.standard) a.standard.userTokens = (a.standard.userTokens ?? 0) + tokens;
    for (const plan of Object.values(a.limits ?? {})) {
      for (const w of Object.values(plan)) if (w.limitTokens) w.usedPercent += (tokens / w.limitTokens) * 100;
    }
  }

  /** The answer of a usage endpoint, or undefined when the path is not one. */
  answer(path: string, key: string | undefined, now: number): Reply | undefined {
    if (path !== CHAT_USAGE_PATH && path !== BILLING_LIMITS_PATH) return undefined;
    if (key === undefined) return json(401, { error: 'unauthorized' });
    const a = this.get(key, now);
    const chat = path === CHAT_USAGE_PATH;
    const forced = chat ? a?.chatUsageAnswer : a?.limitsAnswer;
    if (forced === 'malformed') return json(200, chat ? { usage: { standard: 'lots' } } : { limits: 'none' });
    if (forced !== undefined) return json(forced, { error: 'refused' });
    if (chat) return a?.standard ? json(200, chatUsageBody(a)) : json(404, { error: 'not found' });
    return a?.limits ? json(200, limitsBody(a, now)) : json(404, { error: 'not found' });
  }

  #roll(a: FakeAllowance, now: number): void {
    const s = a.standard;
    if (s && now >= s.endDate) {
      const period = Math.max(1, s.endDate - s.startDate);
      const skipped = Math.floor((now - s.startDate) / period);
      s.startDate += skipped * period;
      s.endDate = s.startDate + period;
      s.userTokens = 0;
      if (a.premium) a.premium.userTokens = 0;
    }
    for (const plan of Object.values(a.limits ?? {})) {
      for (const [name, w] of Object.entries(plan)) {
        if (now < w.windowEnd) continue;
        const period = w.periodMs ?? PERIOD_MS[name] ?? 86_400_000;
        w.windowEnd += Math.ceil((now - w.windowEnd + 1) / period) * period;
        w.usedPercent = 0;
      }
    }
  }
}

function side(s: { totalAllowance: number; userTokens?: number }) {
  const used = s.userTokens ?? 0;
  return { userTokens: used, totalAllowance: s.totalAllowance, usedRatio: s.totalAllowance > 0 ? used / s.totalAllowance : 1 };
}

function chatUsageBody(a: FakeAllowance): unknown {
  const s = a.standard!;
  const standard = { ...side(s), orgTotalTokensUsed: s.userTokens ?? 0, orgOverageUsed: 0, basicAllowance: s.totalAllowance, orgOverageLimit: s.orgOverageLimit ?? 0 };
  return { usage: { startDate: s.startDate, endDate: s.endDate, standard, ...(a.premium ? { premium: side(a.premium) } : {}) } };
}

function limitsBody(a: FakeAllowance, now: number): unknown {
  const limits: Record<string, Record<string, unknown>> = {};
  for (const [plan, periods] of Object.entries(a.limits ?? {})) {
    limits[plan] = {};
    for (const [name, w] of Object.entries(periods)) {
      limits[plan][name] = { usedPercent: Math.min(100, w.usedPercent), windowEnd: w.windowEnd, secondsRemaining: Math.max(0, Math.round((w.windowEnd - now) / 1000)) };
    }
  }
  return { usesTokenRateLimitsBilling: true, limits, extraUsageAllowed: a.extraUsageAllowed ?? false, extraUsageBalanceCents: a.extraUsageAllowed ? 1000 : 0, overagePreference: 'none' };
}
