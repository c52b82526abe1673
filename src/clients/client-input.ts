import { z } from 'zod';
import { invalidRequest } from '../errors.js';
import type { ClientLimits } from './client-record.js';

const count = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const name = z.string().trim().min(1, 'must not be empty').max(100).refine((s) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20), 'must not hold control characters');
const models = z.array(z.string().trim().min(1).max(200)).max(500).nullable();
/** An ISO 8601 date-time, or epoch seconds; null: never expires. */
const expiresAt = z.union([z.string(), z.number()]).nullable();

const LimitsInput = z.strictObject({ rpm: count.optional(), tpm: count.optional(), tokens_per_day: count.optional(), tokens_per_month: count.optional(), concurrency: count.optional() });
/** In a PATCH a limit set to null is removed; one left out is kept. */
const LimitsPatch = z.strictObject({ rpm: count.nullable().optional(), tpm: count.nullable().optional(), tokens_per_day: count.nullable().optional(), tokens_per_month: count.nullable().optional(), concurrency: count.nullable().optional() });

export const CreateClientBody = z.strictObject({ name, models: models.optional(), limits: LimitsInput.optional(), expires_at: expiresAt.optional() });
export const PatchClientBody = z.strictObject({ name: name.optional(), models: models.optional(), limits: LimitsPatch.nullable().optional(), expires_at: expiresAt.optional(), disabled: z.boolean().optional() });

export type CreateClientInput = z.infer<typeof CreateClientBody>;
export type PatchClientInput = z.infer<typeof PatchClientBody>;

export function parseExpiry(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  // A number is epoch seconds, unless it is too large to be (then milliseconds, as a JavaScript timestamp).
  const ms = typeof value === 'number' ? (value >= 1e11 ? value : value * 1000) : Date.parse(value);
  if (!Number.isFinite(ms)) throw invalidRequest('expires_at: expected an ISO 8601 date-time (2026-12-31T23:59:59Z), epoch seconds or null', 'expires_at');
  return ms;
}

export function mergeLimits(current: Readonly<ClientLimits>, patch: z.infer<typeof LimitsPatch> | null): ClientLimits {
  if (patch === null) return {};
  const out: Record<string, number> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = v;
  }
  return out;
}
