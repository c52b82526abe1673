import { fingerprint } from './credential.js';

/** Keys hashed between two yields: a few milliseconds of work on a slow machine. */
const SLICE = 256;

/**
 * The fingerprints of the secrets `isKnown` does not know (known keys keep theirs), hashed a
 * slice at a time with a yield in between, so a keys file of thousands of new keys never
 * holds the event loop for long (each SHA-256 costs microseconds; thousands add up).
 */
export async function fingerprintsOf(secrets: Iterable<string>, isKnown: (secret: string) => boolean, yieldNow: () => Promise<void>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const secret of secrets) {
    if (out.has(secret) || isKnown(secret)) continue;
    out.set(secret, fingerprint(secret));
    if (out.size % SLICE === 0) await yieldNow();
  }
  return out;
}
