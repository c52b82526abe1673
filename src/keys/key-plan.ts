import type { KeyIndex, PoolKey } from './key-index.js';

/**
 * The pool's next key list, built from a reload's secrets a slice at a time: each secret
 * trimmed and taken once; a known key kept as the same object (found by its secret, no
 * hashing, its state kept), an unknown one made by `newKey`. Nothing in the pool changes
 * until the plan is applied, so requests go on while it is made.
 */
export class KeyPlan {
  readonly next: PoolKey[] = [];
  readonly kept = new Set<PoolKey>();
  readonly joined: PoolKey[] = [];
  readonly #seen = new Set<string>();

  constructor(
    private readonly index: KeyIndex,
    private readonly newKey: (secret: string, order: number) => PoolKey,
  ) {}

  /** Plans `secrets[from..to)`. */
  add(secrets: readonly string[], from = 0, to = secrets.length): void {
    for (let i = from; i < to; i++) {
      const secret = secrets[i]!.trim();
      if (secret === '' || this.#seen.has(secret)) continue;
      this.#seen.add(secret);
      const existing = this.index.bySecret(secret);
      if (existing) {
        this.kept.add(existing);
        this.next.push(existing);
      } else {
        const key = this.newKey(secret, this.next.length);
        this.joined.push(key);
        this.next.push(key);
      }
    }
  }
}
