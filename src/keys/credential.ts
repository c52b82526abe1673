import { createHash } from 'node:crypto';

/** How an attempt made with a credential ended; 0 = no HTTP answer (connection error, timeout). */
export interface AttemptOutcome {
  status: number;
}

/** One request's hold on one credential: the result is reported against this credential and no other. */
export interface CredentialLease {
  /** Full Authorization header value for the upstream. */
  readonly authorization: string;
  /** Short stable id for logs and status pages; never the secret. */
  readonly fingerprint: string;
  report(outcome: AttemptOutcome): void;
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
  /** Throws GatewayError when no credential is usable. */
  acquire(req: CredentialRequest): CredentialLease;
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
