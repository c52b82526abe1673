import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { GatewayError } from '../errors.js';
import { CallHandler, type UpstreamResponse } from './call-handler.js';
import type { ClientGone } from './client-gone.js';

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal?: ClientGone;
  /** The answer comes as a stream: its first body byte must arrive within the first-byte limit. */
  stream?: boolean;
}

export interface UpstreamTimeouts {
  /** Response headers of any call (a non-stream answer's headers come when it is complete). */
  headersTimeoutMs: number;
  /** Silence between two pieces of a body, once the headers are in. */
  idleTimeoutMs: number;
  /** From the call to a streamed answer's first body byte. */
  firstByteTimeoutMs: number;
}

export interface ProxyEntry {
  name?: string;
  url: string;
}

/** More distinct endpoint URLs than any config has: a bound, not a size to reach. */
const MAX_TARGETS = 256;

/**
 * Pooled keep-alive HTTP client for Factory. With outbound proxies configured, calls
 * rotate over one long-lived ProxyAgent per proxy (connections are reused through each).
 */
export class UpstreamClient {
  readonly #direct: Agent;
  readonly #proxies: Array<{ name: string; agent: ProxyAgent }>;
  #next = 0;
  /** Endpoint URL → origin and path; the endpoints are few and fixed by the config. */
  readonly #targets = new Map<string, { origin: string; path: string }>();
  readonly #firstByteMs: number;

  constructor(options: { proxies: ProxyEntry[] } & UpstreamTimeouts) {
    const timeouts = { headersTimeout: options.headersTimeoutMs, bodyTimeout: options.idleTimeoutMs };
    this.#firstByteMs = options.firstByteTimeoutMs;
    // No cap on connections per origin: every open client stream holds one upstream stream.
    this.#direct = new Agent({ ...timeouts, keepAliveTimeout: 30_000 });
    this.#proxies = options.proxies.map((p, i) => ({
      name: p.name ?? `proxy-${i + 1}`,
      agent: new ProxyAgent({ uri: p.url, ...timeouts }),
    }));
  }

  /** The dispatcher for the next call, and the proxy's display name (never its URL: it may hold a password). */
  #dispatcher(): { dispatcher: Dispatcher; via: string } {
    if (this.#proxies.length === 0) return { dispatcher: this.#direct, via: 'direct' };
    const proxy = this.#proxies[this.#next % this.#proxies.length]!;
    this.#next = (this.#next + 1) % this.#proxies.length;
    return { dispatcher: proxy.agent, via: proxy.name };
  }

  #target(url: string): { origin: string; path: string } {
    let target = this.#targets.get(url);
    if (target === undefined) {
      const u = new URL(url);
      target = { origin: u.origin, path: u.pathname + u.search };
      if (this.#targets.size >= MAX_TARGETS) this.#targets.clear();
      this.#targets.set(url, target);
    }
    return target;
  }

  /** Settles once the answer's status and headers are in; its body follows as it arrives. */
  send(req: UpstreamRequest): Promise<UpstreamResponse & { via: string }> {
    const { dispatcher, via } = this.#dispatcher();
    // dispatch with origin and path: undici's top-level request(url) parses the URL again on
    // every call, and its dispatcher.request wraps each answer in a Node stream (see
    // CallHandler; the costs are in docs/PERFORMANCE.md).
    const { origin, path } = this.#target(req.url);
    return new Promise((resolve, reject) => {
      const handler = new CallHandler(
        req.signal,
        (answer) => resolve({ ...answer, via }),
        (err) => reject(upstreamTransportError(err)),
        req.stream === true ? this.#firstByteMs : undefined,
      );
      dispatcher.dispatch({ origin, path, method: 'POST', headers: req.headers, body: req.body }, handler);
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.#direct.close(), ...this.#proxies.map((p) => p.agent.close())]);
  }
}

/** undici's error family (`UND_ERR_*`, socket errors) → the catalogue, in this one place. */
export function upstreamTransportError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  const name = err instanceof Error ? err.name : '';
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED') {
    return new GatewayError('upstream_unavailable', 'request aborted', { cause: err, status: 499 });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new GatewayError('upstream_timeout', 'the upstream did not answer in time', { cause: err, retryable: true });
  }
  return new GatewayError('upstream_unavailable', 'could not reach the upstream', { cause: err, retryable: true });
}
