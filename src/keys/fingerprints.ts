import { fingerprint } from './credential.js';

/** Keys hashed between two yields: a few milliseconds of work on a slow machine. */
const SLICE = 256;

/**
 * Each secret's fingerprint: the known ones looked up (`known`), the others hashed a slice
 * at a time with a yield in between, so a keys file of thousands of new keys never holds
 * the event loop for long (one SHA-256 is about 10-20 µs on a busy machine).
 */
export async function fingerprintsOf(secrets: Iterable<string>, known: (secret: string) => string | undefined, yieldNow: () => Promise<void>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let hashed = 0;
  for (const secret of secrets) {
    if (out.has(secret)) continue;
    const fp = known(secret);
    if (fp !== undefined) {
      out.set(secret, fp);
      continue;
    }
    out.set(secret, fingerprint(secret));
    if (++hashed % SLICE === 0) await yieldNow();
  }
  return out;
}
