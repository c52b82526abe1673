import type { IrCacheControl } from '../dialects/ir.js';

/**
 * Prompt-cache hints in their one wire form, Anthropic's `cache_control`
 * (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching), which OpenAI-style
 * proxies in front of Claude also accept on content parts. There is one cache type today,
 * so the IR names it whatever the client spelt; a `ttl` is kept.
 */
export interface WireCacheControl {
  type: 'ephemeral';
  ttl?: string;
}

/** A client's `cache_control` (any spelling of its type) → the IR hint; none → undefined. */
export function cacheFromWire(cc: { ttl?: string | null | undefined } | null | undefined): IrCacheControl | undefined {
  if (!cc) return undefined;
  return cc.ttl ? { type: 'ephemeral', ttl: cc.ttl } : { type: 'ephemeral' };
}

/** The IR hint as `cache_control`. */
export function cacheToWire(cache: IrCacheControl): WireCacheControl {
  return cache.ttl ? { type: 'ephemeral', ttl: cache.ttl } : { type: 'ephemeral' };
}
