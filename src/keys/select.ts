/**
 * Key selection strategies: pure functions of the candidates and a cursor or a random draw.
 * They run on every request over the whole pool, so they allocate nothing.
 */

/** Weight floor: a failing key still gets a little traffic, so its recovery is noticed. */
export const MIN_WEIGHT = 0.05;

/**
 * Simple round robin: the first candidate at or after the cursor in pool order, wrapping
 * around. `orderOf` is a candidate's position in the pool. Returns the pick and the cursor
 * for the next call.
 */
export function pickSimple<T extends object>(candidates: readonly T[], orderOf: (c: T) => number, cursor: number, poolSize: number): { pick: T; cursor: number } {
  let best = candidates[0]!;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const distance = (orderOf(c) - cursor + poolSize) % poolSize;
    if (distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  return { pick: best, cursor: (orderOf(best) + 1) % poolSize };
}

/**
 * Health-weighted: draw proportionally to max(score, MIN_WEIGHT), where `scoreOf` is a
 * candidate's smoothed success rate in [0, 1] and `draw` is in [0, 1).
 */
export function pickWeighted<T extends object>(candidates: readonly T[], scoreOf: (c: T) => number, draw: number): T {
  let total = 0;
  for (const c of candidates) total += Math.max(scoreOf(c), MIN_WEIGHT);
  let r = draw * total;
  for (const c of candidates) {
    r -= Math.max(scoreOf(c), MIN_WEIGHT);
    if (r < 0) return c;
  }
  return candidates[candidates.length - 1]!;
}
