/**
 * Key selection strategies: pure functions of the candidates and a cursor or a random draw.
 * They run on every request, so they allocate nothing. `nextInRotation` and
 * `sampleWeighted` look at a few keys of the pool only; `pickSimple` and `pickWeighted`
 * take the full list of ready keys (the pool's fallback when the sample found none).
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

/**
 * Simple round robin without a candidate list: the first ready key of `keys` (in pool
 * order) from position `start`, wrapping around; the same pick as `pickSimple` over the
 * ready keys. Looks at the keys before that one only.
 */
export function nextInRotation<T extends object>(keys: readonly T[], start: number, isReady: (k: T) => boolean): T | undefined {
  const n = keys.length;
  for (let i = 0; i < n; i++) {
    const k = keys[(start + i) % n]!;
    if (isReady(k)) return k;
  }
  return undefined;
}

/**
 * Health-weighted draw without a pass over the pool (rejection sampling): a uniformly drawn
 * key is taken with probability max(score, MIN_WEIGHT) if it is ready, so a pick has the
 * distribution of `pickWeighted` over the ready keys. After `tries` rejections it gives up
 * (undefined), and the caller draws over the full ready list, which keeps the distribution.
 */
export function sampleWeighted<T extends object>(keys: readonly T[], isReady: (k: T) => boolean, scoreOf: (k: T) => number, random: () => number, tries: number): T | undefined {
  const n = keys.length;
  if (n === 0) return undefined;
  for (let t = 0; t < tries; t++) {
    const k = keys[Math.min(n - 1, Math.floor(random() * n))]!;
    if (isReady(k) && random() < Math.max(scoreOf(k), MIN_WEIGHT)) return k;
  }
  return undefined;
}
