/**
 * What a listed key may look like, wherever it comes from (FACTORY_API_KEY, the keys file,
 * the admin API): printable ASCII without spaces or `;` (the FACTORY_API_KEY separator).
 * Anything else is refused at load, because Node refuses most of it as a header value and
 * the request would then fail as if the key or the upstream had failed.
 */
const KEY_PATTERN = /^[\x21-\x3a\x3c-\x7e]{8,4096}$/;

export const KEY_FORMAT_HINT = 'expected 8 to 4096 printable characters without spaces or ";"';

export function isValidKey(key: string): boolean {
  return KEY_PATTERN.test(key) && !key.startsWith('#');
}

/** Valid keys of a list, and the 1-based positions of the invalid entries (never their text). */
export function splitValidKeys(entries: readonly { key: string; position: number }[]): { keys: string[]; invalid: number[] } {
  const keys: string[] = [];
  const invalid: number[] = [];
  for (const { key, position } of entries) {
    if (isValidKey(key)) keys.push(key);
    else invalid.push(position);
  }
  return { keys, invalid };
}
