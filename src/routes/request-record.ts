import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestRecord } from '../observability/request-record.js';
import type { Services } from '../services.js';

/**
 * The record of one API request, handed to the observers when its reply closes: then the
 * status is final, and a stream that did not finish writing lost its client.
 */
export function recordRequest(services: Services, request: FastifyRequest, reply: FastifyReply, dialect: string): RequestRecord {
  const record = new RequestRecord(String(request.id), request.routeOptions.url ?? request.url, dialect, services.clock);
  if (services.tracing) record.trace = services.tracing.start(request.method, request.headers, record);
  reply.raw.once('close', () => {
    record.endedAt = services.clock.now();
    record.status = reply.raw.headersSent ? reply.raw.statusCode : 0;
    if (!reply.raw.writableFinished && record.streamOutcome === undefined) record.streamOutcome = 'client_gone';
    if (record.stream && record.status === 200) record.streamOutcome ??= 'completed';
    record.trace?.end(record);
    services.requests.emit(record, (err) => request.log.error({ err }, 'request observer failed'));
  });
  return record;
}
