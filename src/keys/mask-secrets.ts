/**
 * Masks secrets in free text from outside (an upstream's error message): an upstream that
 * echoes the key it was called with must not publish it on /status, in the log or in the
 * retired-keys file. Pure: the caller passes the secrets it knows.
 */

/** What a masked secret becomes; contains nothing the patterns below match again. */
export const MASK = '***';

/** Shorter configured values would mask ordinary words; shapes below still catch real keys. */
const MIN_SECRET_LENGTH = 6;

/**
 * Shapes of credentials, each replaced whole. The long-token shape needs a letter and a
 * digit so that ordinary long words and identifiers-in-prose survive.
 */
const KEY_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{4,}/gi, `Bearer ${MASK}`],
  [/\b(fk|sk|rk|pk)-[A-Za-z0-9_-]{6,}/g, `$1-${MASK}`],
  [/\bAIza[A-Za-z0-9_-]{20,}/g, MASK],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, MASK],
  [/(?<![A-Za-z0-9_+/=-])(?=[A-Za-z0-9_+/=-]*[0-9])(?=[A-Za-z0-9_+/=-]*[A-Za-z])[A-Za-z0-9_+/=-]{32,}/g, MASK],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `text` with every given secret and everything shaped like a key replaced by MASK. */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  // A pool may hold thousands of keys: only those present in the text go into the pattern.
  const present = new Set<string>();
  for (const raw of secrets) {
    const secret = raw.trim();
    if (secret.length >= MIN_SECRET_LENGTH && text.includes(secret)) present.add(secret);
  }
  let out = text;
  if (present.size > 0) {
    // Longest first, so a secret that contains another is masked whole.
    const found = [...present].sort((a, b) => b.length - a.length);
    out = out.replace(new RegExp(found.map(escapeRegExp).join('|'), 'g'), MASK);
  }
  for (const [shape, replacement] of KEY_SHAPES) out = out.replace(shape, replacement);
  return out;
}
