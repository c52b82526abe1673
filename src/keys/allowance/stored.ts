import { z } from 'zod';
import { SHARED_RESULT_PREFIX } from '../../state/store.js';
import type { KeyAllowance } from './types.js';

/** A key's last allowance check in the store, shared by every replica. */
export const allowanceValueName = (fp: string) => `${SHARED_RESULT_PREFIX}allowance:${fp}`;
/** The lease one replica takes to replace the key's check made at `basis` (0: none yet) with a new one. */
export const allowanceClaimName = (fp: string, basis: number) => `allowance-check:${fp}:${basis}`;

const storedAllowance = z.object({
  checkedAt: z.number(),
  windows: z.array(
    z.object({
      name: z.string(),
      usedRatio: z.number(),
      usedTokens: z.number().optional(),
      totalTokens: z.number().optional(),
      endsAt: z.number().optional(),
    }),
  ),
  overageAllowed: z.boolean(),
  problem: z.string().optional(),
});

/** A stored check, or undefined when there is none or it does not read back (another version wrote it). */
export function readStoredAllowance(text: string | undefined): KeyAllowance | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = storedAllowance.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
