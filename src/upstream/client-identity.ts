import { DEFAULT_USER_AGENT } from '../config/schema.js';

const VERSION = /\d+\.\d+\.\d+/;

/**
 * The Factory CLI the gateway presents itself as: `user-agent: factory-cli/<version>` and
 * `x-client-version: <version>`. The version comes from config.json's `user_agent` and may
 * be moved forward once at start by the latest-version check (cli-version-check.ts).
 */
export class ClientIdentity {
  #version: string;

  constructor(userAgent: string) {
    this.#version = VERSION.exec(userAgent)?.[0] ?? VERSION.exec(DEFAULT_USER_AGENT)?.[0] ?? '0.0.0';
  }

  get version(): string {
    return this.#version;
  }

  get userAgent(): string {
    return `factory-cli/${this.#version}`;
  }

  /** Adopts a newer version; an older or malformed one is ignored. Returns whether it changed. */
  adopt(version: string): boolean {
    if (!/^\d+\.\d+\.\d+$/.test(version) || compareVersions(version, this.#version) <= 0) return false;
    this.#version = version;
    return true;
  }
}

/** Numeric comparison of `x.y.z` strings. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
