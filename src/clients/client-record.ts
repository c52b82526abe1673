import { hash } from 'node:crypto';
import { randomBase62 } from '../runtime/secret.js';

/** The limits a client may have; each one optional. */
export interface ClientLimits {
  /** Requests per rolling minute. */
  rpm?: number;
  /** Tokens (input + output, as the upstream reported them) per rolling minute. */
  tpm?: number;
  /** Tokens per calendar day, UTC. */
  tokens_per_day?: number;
  /** Tokens per calendar month, UTC. */
  tokens_per_month?: number;
  /** Requests in flight at once (a stream until it ends). */
  concurrency?: number;
}

export const LIMIT_NAMES = ['rpm', 'tpm', 'tokens_per_day', 'tokens_per_month', 'concurrency'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/**
 * One client key as stored: the key itself never is, only its SHA-256 (the key is 190 bits
 * of randomness, so a plain hash cannot be reversed by guessing). Read-only: a change makes
 * a new record.
 */
export interface ClientRecord {
  readonly id: string;
  readonly name: string;
  /** SHA-256 of the key, hex. */
  readonly keyHash: string;
  /** The key's last four characters, so an admin can tell keys apart. */
  readonly keyTail: string;
  /** Model ids or globs (`claude-*`); null: every model. */
  readonly models: readonly string[] | null;
  readonly limits: Readonly<ClientLimits>;
  /** Epoch ms after which the key is refused; null: never. */
  readonly expiresAt: number | null;
  readonly disabled: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const CLIENT_KEY_PREFIX = 'dk-';
/** 32 base62 characters are 190 bits; 40 leave a margin. */
const KEY_RANDOM_LENGTH = 40;

export function newClientKey(): string {
  return CLIENT_KEY_PREFIX + randomBase62(KEY_RANDOM_LENGTH);
}

export function newClientId(): string {
  return `cl_${randomBase62(16)}`;
}

/** One-shot `crypto.hash` (Node 20.12+): no Hash object per request. */
export function hashClientKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** Whether a presented credential has the shape of a client key (cheap test before hashing). */
export function looksLikeClientKey(presented: string): boolean {
  return presented.length >= CLIENT_KEY_PREFIX.length + 32 && presented.startsWith(CLIENT_KEY_PREFIX);
}
