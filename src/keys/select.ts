/** Key selection strategies: pure functions of the candidates and a cursor or a random draw. */

export interface Candidate {
  fingerprint: string;
  /** Position in the pool's key order (for exact simple rotation). */
  order: number;
  /** Smoothed success rate in [0, 1]. */
  score: number;
}

/** Weight floor: a failing key still gets a little traffic, so its recovery is noticed. */
export const MIN_WEIGHT = 0.05;

/**
 * Simple round robin: the first candidate at or after the cursor in pool order, wrapping
 * around. Returns the pick and the cursor for the next call.
 */
export function pickSimple(candidates: Candidate[], cursor: number, poolSize: number): { pick: Candidate; cursor: number } {
  let best = candidates[0]!;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const distance = (c.order - cursor + poolSize) % poolSize;
    if (distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  return { pick: best, cursor: (best.order + 1) % poolSize };
}

/** Health-weighted: draw proportionally to max(score, MIN_WEIGHT); `draw` is in [0, 1). */
export function pickWeighted(candidates: Candidate[], draw: number): Candidate {
  const weights = candidates.map((c) => Math.max(c.score, MIN_WEIGHT));
  const total = weights.reduce((a, b) => a + b, 0);
  let r = draw * total;
  for (let i = 0; i < candidates.length; i++) {
    r -= weights[i]!;
    if (r < 0) return candidates[i]!;
  }
  return candidates[candidates.length - 1]!;
}
