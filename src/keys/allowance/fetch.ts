import { request } from 'undici';
import type { Clock } from '../../runtime/clock.js';
import { parseBillingLimits, parseChatUsage, type ParsedAllowance } from './parse.js';
import type { KeyAllowance } from './types.js';

export interface UsageEndpoints {
  /** GET: the monthly token allowance (`usage.standard`, `usage.premium`). */
  chat_usage: string;
  /** GET: windows by plan and period (`limits.<plan>.<period>.usedPercent`). */
  billing_limits: string;
}

export interface AllowanceFetchOptions {
  endpoints: UsageEndpoints;
  userAgent: string;
  clock: Clock;
  timeoutMs?: number;
}

/** Asks Factory about one credential (its full Authorization value); never throws. */
export type FetchAllowance = (authorization: string) => Promise<KeyAllowance>;

const TIMEOUT_MS = 15_000;

type Outcome = { parsed: ParsedAllowance } | { problem: string };

async function getJson(url: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  const res = await request(url, { method: 'GET', headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const text = await res.body.text();
  try {
    return { status: res.statusCode, body: JSON.parse(text) };
  } catch {
    return { status: res.statusCode, body: undefined };
  }
}

async function ask(name: string, url: string, headers: Record<string, string>, timeoutMs: number, parse: (body: unknown) => ParsedAllowance | undefined): Promise<Outcome> {
  try {
    const { status, body } = await getJson(url, headers, timeoutMs);
    if (status !== 200) return { problem: `${name}: HTTP ${status}` };
    const parsed = parse(body);
    return parsed ? { parsed } : { problem: `${name}: unexpected answer` };
  } catch (err) {
    // Only the error's code or name: a message could quote the URL's query or a header.
    const code = (err as { code?: unknown }).code;
    return { problem: `${name}: ${typeof code === 'string' ? code : err instanceof Error ? err.name : 'failed'}` };
  }
}

/** Both endpoints in parallel, merged; whatever fails only adds to `problem`. */
export function factoryAllowanceFetcher(options: AllowanceFetchOptions): FetchAllowance {
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  return async (authorization) => {
    const headers = { authorization, accept: 'application/json', 'user-agent': options.userAgent, 'x-factory-client': 'cli' };
    const now = options.clock.now();
    const outcomes = await Promise.all([
      ask('chat-usage', options.endpoints.chat_usage, headers, timeoutMs, parseChatUsage),
      ask('billing-limits', options.endpoints.billing_limits, headers, timeoutMs, (body) => parseBillingLimits(body, now)),
    ]);
    const parsed = outcomes.flatMap((o) => ('parsed' in o ? [o.parsed] : []));
    const problems = outcomes.flatMap((o) => ('problem' in o ? [o.problem] : []));
    return {
      checkedAt: now,
      windows: parsed.flatMap((p) => p.windows),
      overageAllowed: parsed.some((p) => p.overageAllowed),
      ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
    };
  };
}
