import type { FastifyBaseLogger } from 'fastify';
import type { RequestObservers, RequestRecord } from './request-record.js';

/** The fields of a request's one log line: what an operator greps for, never a secret or a body. */
export function requestLogFields(r: RequestRecord): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    reqId: r.requestId,
    route: r.route,
    model: r.model,
    key: r.key,
    attempts: r.attempts.length,
    status: r.status,
    ttfbMs: r.firstByteAt === undefined ? undefined : r.firstByteAt - r.startedAt,
    totalMs: (r.endedAt ?? r.startedAt) - r.startedAt,
    tokensIn: r.tokens.input,
    tokensOut: r.tokens.output,
  };
  if (r.unknownModel !== undefined) fields.unknownModel = r.unknownModel;
  if (r.client !== undefined) fields.client = r.client.name;
  if (r.tokens.cached > 0) fields.tokensCached = r.tokens.cached;
  if (r.stream) fields.stream = r.streamOutcome;
  if (r.errorCode !== undefined) fields.code = r.errorCode;
  return fields;
}

/**
 * One info line per finished API request. Written without the logger's path redaction: its
 * fields are built above from values that are never a secret (no header, body or query), and
 * redaction walks every configured path on every line, which would cost this line more than
 * writing it (docs/PERFORMANCE.md).
 */
export function logRequests(requests: RequestObservers, log: FastifyBaseLogger): void {
  const lines = log.child({}, { redact: [] });
  requests.add((r) => lines.info(requestLogFields(r), 'request'));
}
