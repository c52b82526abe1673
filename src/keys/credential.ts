import { createHash } from 'node:crypto';

/** How an attempt made with a credential ended. */
export interface AttemptOutcome {
  /** HTTP status of the upstream answer; 0 = no answer (connection error, timeout, cut). */
  status: number;
  /** Seconds the upstream asked to wait (Retry-After), if any. */
  retryAfter?: number;
  /** The upstream's error message, for the key's last error. */
  message?: string;
  /** The tokens of an answer read whole, counted with the outcome (streams report theirs through `usage` when they end). */
  usage?: UsageReport;
}

export interface AttemptVerdict {
  /** True when the failure belongs to this credential, so the request may be retried on another. */
  failover: boolean;
}

/** Tokens an answer used, recorded against the credential that produced it. */
export interface UsageReport {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

/** One request's hold on one credential: the result is reported against this credential and no other. */
export interface CredentialLease {
  /** Full Authorization header value for the upstream. */
  readonly authorization: string;
  /** Short stable id for logs and status pages; never the secret. */
  readonly fingerprint: string;
  /** Records how the attempt ended (once per attempt) and says whether another credential may be tried. */
  report(outcome: AttemptOutcome): AttemptVerdict;
  /** Records the tokens of a successful answer (may come after report). */
  usage(usage: UsageReport): void;
}

export interface CredentialRequest {
  /** The client's Authorization header, for client-authorization mode. */
  clientAuthorization?: string;
  /** The client's x-api-key header (Anthropic SDKs send this instead). */
  clientApiKey?: string;
  /** Conversation id, for session affinity. */
  sessionId?: string;
  /** Fingerprints already tried by this request (failover). */
  exclude?: ReadonlySet<string>;
}

/** Where upstream credentials come from and which one a request gets. */
export interface CredentialSource {
  /** One line for the start-up log: the source and how many keys, never the keys. */
  describe(): string;
  /** Resolves a credential, waiting for a token refresh in progress; throws GatewayError when none is usable. */
  acquire(req: CredentialRequest): Promise<CredentialLease>;
}

export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 8);
}

/** First 6 … last 4 characters; short secrets are masked whole. */
export function maskSecret(secret: string): string {
  if (secret.length <= 12) return '*'.repeat(Math.max(4, secret.length));
  return `${secret.slice(0, 6)}…${secret.slice(-4)}`;
}

export function bearer(token: string): string {
  return /^bearer\s/i.test(token) ? token : `Bearer ${token}`;
}
