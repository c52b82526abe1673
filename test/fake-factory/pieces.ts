/** Deterministic ways to cut text and bytes into pieces, so streams exercise reassembly. */

/** Splits text into `count` pieces on code-point boundaries (never inside a surrogate pair). */
export function splitEven(text: string, count: number): string[] {
  const chars = Array.from(text);
  const n = Math.max(1, Math.min(count, chars.length));
  const size = Math.ceil(chars.length / n);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out.length > 0 ? out : [''];
}

/** Answer and reasoning text go out in 2–4 deltas, like a real model's token stream. */
export function textPieces(text: string): string[] {
  const length = Array.from(text).length;
  return splitEven(text, Math.min(4, Math.max(2, Math.ceil(length / 6))));
}

/**
 * Tool arguments go out in about five pieces of at least 2 code points, so cuts fall
 * inside keys and string values: a client that parses each piece as JSON breaks here.
 */
export function argumentPieces(json: string): string[] {
  const chars = Array.from(json);
  const size = Math.max(2, Math.ceil(chars.length / 5));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** mulberry32: a tiny seeded PRNG so "random" chunking is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts bytes into pieces of 1..maxSize bytes drawn from `random`. */
export function randomSlices(bytes: Buffer, maxSize: number, random: () => number): Buffer[] {
  const out: Buffer[] = [];
  const max = Math.max(1, Math.floor(maxSize));
  for (let i = 0; i < bytes.length; ) {
    const size = 1 + Math.floor(random() * max);
    out.push(bytes.subarray(i, i + size));
    i += size;
  }
  return out;
}

export function everyByte(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 1) out.push(bytes.subarray(i, i + 1));
  return out;
}
