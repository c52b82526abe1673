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
  if (r.client !== undefined) fields.client = r.client.name;
  if (r.tokens.cached > 0) fields.tokensCached = r.tokens.cached;
  if (r.stream) fields.stream = r.streamOutcome;
  if (r.errorCode !== undefined) fields.code = r.errorCode;
  return fields;
}

/** One info line per finished API request. */
export function logRequests(requests: RequestObservers, log: FastifyBaseLogger): void {
  requests.add((r) => log.info(requestLogFields(r), 'request'));
}
