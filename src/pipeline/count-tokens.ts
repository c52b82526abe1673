import type { IncomingHttpHeaders } from 'node:http';
import type { WireObject } from '../dialects/dialect.js';
import { isRecord } from '../runtime/guards.js';
import { GatewayError, invalidRequest } from '../errors.js';
import type { Services } from '../services.js';
import { knownSecrets } from '../keys/known-secrets.js';
import { upstreamHttpError } from '../upstream/upstream-error.js';
import { resolveModel } from './models.js';
import { DIALECTS } from '../dialects/registry.js';
import { injectSystemPrompt } from './policies/system-prompt.js';
import { callIdentity, upstreamHeaders } from './upstream-request.js';
import type { ClientGone } from '../upstream/client-gone.js';

/** The fields Anthropic's count_tokens accepts (it rejects max_tokens, stream and the like). */
const COUNT_FIELDS = ['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'mcp_servers'] as const;

/** A rough token count (about four characters a token) of everything the model would read. */
export function estimateTokens(body: WireObject): number {
  const text = JSON.stringify([body.system ?? '', body.messages ?? [], body.tools ?? []]);
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * The estimate of an Anthropic-shaped request's prompt as the upstream will read it (the
 * configured system prompt included), for a count the upstream cannot give.
 */
export function estimateInputTokens(body: WireObject, systemPrompt: string): number {
  return estimateTokens(injectSystemPrompt({ system: body.system, messages: body.messages, tools: body.tools }, 'anthropic', systemPrompt));
}

/**
 * /v1/messages/count_tokens: forwarded (with the injected system prompt, which the real
 * call will carry) for Anthropic-type models; answered locally with an estimate for the
 * others, or when the upstream has no count endpoint.
 */
export async function countTokens(services: Services, body: unknown, headers: IncomingHttpHeaders, signal: ClientGone): Promise<WireObject> {
  if (!isRecord(body)) throw invalidRequest('The request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') throw invalidRequest('model is required', 'model');
  const model = resolveModel(services.settings.config, body.model);
  services.retiredModels.note(model, services.log);
  let counted: WireObject = { model: model.config.id };
  for (const field of COUNT_FIELDS) if (body[field] !== undefined && field !== 'model') counted[field] = body[field];
  counted = injectSystemPrompt(counted, 'anthropic', services.settings.config.system_prompt);
  // Thinking in the form the model takes, as on the real call; count_tokens takes no output_config.
  const fitToModel = DIALECTS.anthropic.profile.upstream.fitToModel ?? ((body: WireObject) => body);
  const { output_config: _effort, ...fitted } = fitToModel(counted);
  counted = fitted;
  if (model.upstream !== 'anthropic') return { input_tokens: estimateTokens(counted) };

  const identity = callIdentity(services, headers, undefined);
  const lease = await services.credentials.acquire({
    clientAuthorization: typeof headers.authorization === 'string' ? headers.authorization : undefined,
    clientApiKey: typeof headers['x-api-key'] === 'string' ? headers['x-api-key'] : undefined,
  });
  const url = model.endpointUrl.replace(/\/v1\/messages\/?$/, '/v1/messages/count_tokens');
  try {
    const res = await services.upstream.send({
      url,
      headers: upstreamHeaders(services, model, headers, identity, lease.authorization, false),
      body: JSON.stringify(counted),
      signal,
    });
    lease.report({ status: res.status });
    const text = await res.body.text();
    if (res.status < 400) {
      const json: unknown = JSON.parse(text);
      if (isRecord(json) && typeof json.input_tokens === 'number') return { input_tokens: json.input_tokens };
    } else if (![404, 405, 501].includes(res.status) && res.status < 500) {
      throw upstreamHttpError(res.status, res.headers, text, services.clock.now(), knownSecrets(services.settings.env, services.keys));
    }
  } catch (err) {
    if (err instanceof GatewayError && err.status < 500) throw err;
    services.log.debug({ err }, 'count_tokens upstream failed; answering with an estimate');
  }
  return { input_tokens: estimateTokens(counted) };
}
