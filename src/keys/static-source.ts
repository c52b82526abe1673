import { GatewayError } from '../errors.js';
import { bearer, fingerprint, type CredentialLease, type CredentialRequest, type CredentialSource } from './credential.js';

/**
 * A fixed list of Factory keys, rotated strictly in turn. (The health-aware pool with
 * retirement and failover replaces this behind the same interface.)
 */
export class StaticKeySource implements CredentialSource {
  readonly #keys: Array<{ authorization: string; fingerprint: string }>;
  #next = 0;

  constructor(keys: string[], private readonly origin: string) {
    this.#keys = keys.map((k) => ({ authorization: bearer(k), fingerprint: fingerprint(k) }));
  }

  describe(): string {
    return `credential source: ${this.origin} (${this.#keys.length} key${this.#keys.length === 1 ? '' : 's'})`;
  }

  async acquire(req: CredentialRequest): Promise<CredentialLease> {
    const usable = this.#keys.filter((k) => !req.exclude?.has(k.fingerprint));
    if (usable.length === 0) throw new GatewayError('upstream_unavailable', 'No usable Factory key');
    const key = usable[this.#next % usable.length]!;
    this.#next = (this.#next + 1) % Math.max(1, this.#keys.length);
    return { ...key, report: () => ({ failover: false }), usage: () => undefined };
  }
}

/** FACTORY_API_KEY: one key or several separated by `;`, spaces trimmed, empties ignored. */
export function parseKeyList(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(';').map((k) => k.trim()).filter(Boolean))];
}
