import type { IncomingHttpHeaders } from 'node:http';
import type { WireObject } from '../dialects/dialect.js';
import type { Services } from '../services.js';
import { factoryHeaders } from '../upstream/factory-headers.js';
import { asUuid, clientSessionId, headerValue } from '../upstream/session-ids.js';
import type { ResolvedModel } from './models.js';
import { DIALECTS } from '../dialects/registry.js';
import { applyFastMode } from './policies/fast-mode.js';
import { applyReasoning } from './policies/reasoning.js';
import { injectSystemPrompt } from './policies/system-prompt.js';
import { finalizeUpstreamBody } from './policies/upstream-body.js';

/** The upstream policies, in order, on a body already in the upstream dialect. */
export function applyPolicies(body: WireObject, model: ResolvedModel, systemPrompt: string): WireObject {
  let out = finalizeUpstreamBody(body, model.upstream, model.config.id);
  out = injectSystemPrompt(out, model.upstream, systemPrompt);
  out = applyReasoning(out, model.upstream, model.config.reasoning);
  const fitToModel = DIALECTS[model.upstream].profile.upstream.fitToModel;
  if (fitToModel) out = fitToModel(out);
  return applyFastMode(out, model.upstream, model.config.fast);
}

export interface CallIdentity {
  sessionId: string;
  messageId: string;
  /** The client's own conversation id, if any (session affinity). */
  clientSession: string | undefined;
}

/** Session and message ids for Factory: the client's conversation id when it sent one, else fresh. */
export function callIdentity(services: Services, headers: IncomingHttpHeaders, promptCacheKey: unknown): CallIdentity {
  const clientSession = clientSessionId(headers, typeof promptCacheKey === 'string' ? promptCacheKey : undefined);
  return {
    clientSession,
    sessionId: clientSession ? asUuid(clientSession) : services.ids.uuid(),
    messageId: headerValue(headers, 'x-assistant-message-id') ?? services.ids.uuid(),
  };
}

export function upstreamHeaders(
  services: Services,
  model: ResolvedModel,
  clientHeaders: IncomingHttpHeaders,
  identity: CallIdentity,
  authorization: string,
  stream: boolean,
): Record<string, string> {
  return factoryHeaders({
    upstream: services.dialects[model.upstream].profile.upstream.factory,
    model: model.config,
    userAgent: services.identity.userAgent,
    clientVersion: services.identity.version,
    authorization,
    stream,
    sessionId: identity.sessionId,
    messageId: identity.messageId,
    client: (name) => headerValue(clientHeaders, name),
  });
}
