/**
 * Questions asked of raw SSE bytes without decoding them as UTF-8 into lines and events,
 * for reads that are only passed on.
 */

/** The bytes end with a blank line (LF LF or CRLF CRLF): the last event is complete and no line is left open. */
export function endsWithBlankLine(b: Uint8Array): boolean {
  const n = b.length;
  if (n >= 2 && b[n - 1] === 0x0a && b[n - 2] === 0x0a) return true;
  return n >= 4 && b[n - 1] === 0x0a && b[n - 2] === 0x0d && b[n - 3] === 0x0a && b[n - 4] === 0x0d;
}

/** Words as the bytes `mentionsAny` looks for, encoded once. */
export function byteWords(...words: string[]): Buffer[] {
  return words.map((w) => Buffer.from(w));
}

/**
 * Whether any of the words occurs in the bytes, searched natively without decoding or
 * allocating: about as fast as a string search, which would allocate the string, and far
 * faster than a byte loop in JS (docs/PERFORMANCE.md, "Figures behind choices in the code").
 */
export function mentionsAny(b: Uint8Array, words: readonly Buffer[]): boolean {
  const bytes = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  for (const word of words) if (bytes.includes(word)) return true;
  return false;
}
