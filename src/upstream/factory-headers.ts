import type { FactoryCall } from '../dialect-kit/factory-call.js';
import type { FactoryProfile } from '../dialects/profile.js';

export interface FactoryHeaderInput extends FactoryCall {
  /** The upstream dialect's profile: its default provider and its own headers. */
  upstream: FactoryProfile;
  userAgent: string;
  /** The CLI version the user agent names, sent as `x-client-version` as the CLI does. */
  clientVersion: string;
  authorization: string;
  sessionId: string;
  messageId: string;
}

/** The headers Factory's proxy expects for one upstream call (built in place: this runs per request). */
export function factoryHeaders(input: FactoryHeaderInput): Record<string, string> {
  const headers: Record<string, string> = {
    authorization: input.authorization,
    'content-type': 'application/json',
    'user-agent': input.userAgent,
    'x-api-provider': input.model.provider ?? input.upstream.defaultProvider,
    'x-factory-client': 'cli',
    'x-client-version': input.clientVersion,
    'x-session-id': input.sessionId,
    'x-assistant-message-id': input.messageId,
  };
  input.upstream.addHeaders(headers, input);
  return headers;
}
