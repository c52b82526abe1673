import { z } from 'zod';
import type { AllowanceWindow } from './types.js';

/**
 * Parsers of Factory's two usage endpoints (not documented; shapes as public clients use
 * them). Tolerant: fields are optional, unknown ones ignored, and a window that does not
 * parse is left out rather than failing the rest. `undefined` = nothing usable.
 */

export interface ParsedAllowance {
  windows: AllowanceWindow[];
  overageAllowed: boolean;
}

const count = z.number().finite().nonnegative();
/** Dates come as epoch seconds, epoch ms or ISO text; all become epoch ms. */
const instant = z.union([z.number().finite(), z.string()]);

function epochMs(value: z.infer<typeof instant> | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
    return Number.isFinite(n) ? epochMs(n) : undefined;
  }
  // Below 1e11 (year 5138 in seconds, 1973 in ms) a number is read as seconds.
  return value < 1e11 ? value * 1000 : value;
}

const usageSide = z.object({
  userTokens: count.optional(),
  orgTotalTokensUsed: count.optional(),
  orgOverageUsed: count.optional(),
  orgOverageLimit: count.optional(),
  totalAllowance: count.optional(),
  usedRatio: count.optional(),
});

const chatUsage = z.object({
  usage: z.object({ startDate: instant.optional(), endDate: instant.optional(), standard: z.unknown().optional(), premium: z.unknown().optional() }),
});

function usageWindow(name: string, raw: unknown, endsAt: number | undefined): { window: AllowanceWindow; overage: boolean } | undefined {
  const side = usageSide.safeParse(raw);
  if (!side.success) return undefined;
  const { userTokens, totalAllowance, usedRatio, orgOverageUsed, orgOverageLimit } = side.data;
  const ratio = usedRatio ?? (userTokens !== undefined && totalAllowance ? userTokens / totalAllowance : undefined);
  if (ratio === undefined) return undefined;
  const window: AllowanceWindow = { name, usedRatio: ratio, usedTokens: userTokens, totalTokens: totalAllowance, endsAt };
  return { window, overage: orgOverageLimit !== undefined && orgOverageLimit > (orgOverageUsed ?? 0) };
}

/** GET …/organization/members/chat-usage → the monthly standard and premium windows. */
export function parseChatUsage(body: unknown): ParsedAllowance | undefined {
  const parsed = chatUsage.safeParse(body);
  if (!parsed.success) return undefined;
  const { usage } = parsed.data;
  const endsAt = epochMs(usage.endDate);
  const sides = [usageWindow('standard', usage.standard, endsAt), usageWindow('premium', usage.premium, endsAt)].filter((s) => s !== undefined);
  if (sides.length === 0) return undefined;
  return { windows: sides.map((s) => s.window), overageAllowed: sides.some((s) => s.overage && s.window.name === 'standard') };
}

const limitWindow = z.object({ usedPercent: z.number().finite().nonnegative(), windowEnd: instant.optional(), secondsRemaining: count.optional() });

const billingLimits = z.object({
  limits: z.record(z.string(), z.unknown()),
  extraUsageAllowed: z.boolean().optional(),
  extraUsageBalanceCents: z.number().optional(),
});

/** GET …/billing/limits → one window per plan and period (`standard.fiveHour`, `core.weekly`…). */
export function parseBillingLimits(body: unknown, now: number): ParsedAllowance | undefined {
  const parsed = billingLimits.safeParse(body);
  if (!parsed.success) return undefined;
  const windows: AllowanceWindow[] = [];
  for (const [plan, periods] of Object.entries(parsed.data.limits)) {
    if (typeof periods !== 'object' || periods === null) continue;
    for (const [period, raw] of Object.entries(periods)) {
      const w = limitWindow.safeParse(raw);
      if (!w.success) continue;
      const { usedPercent, windowEnd, secondsRemaining } = w.data;
      const endsAt = epochMs(windowEnd) ?? (secondsRemaining !== undefined ? now + secondsRemaining * 1000 : undefined);
      windows.push({ name: `${plan}.${period}`, usedRatio: usedPercent / 100, endsAt });
    }
  }
  if (windows.length === 0) return undefined;
  const { extraUsageAllowed, extraUsageBalanceCents } = parsed.data;
  return { windows, overageAllowed: extraUsageAllowed === true && (extraUsageBalanceCents === undefined || extraUsageBalanceCents > 0) };
}
