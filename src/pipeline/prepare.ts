import type { IncomingHttpHeaders } from 'node:http';
import type { Dialect, WireObject } from '../dialects/dialect.js';
import type { IrRequest } from '../dialects/ir.js';
import { isRecord } from '../runtime/guards.js';
import { measureRequestSchemas } from '../dialect-kit/schema-budget.js';
import { invalidRequest } from '../errors.js';
import type { Services } from '../services.js';
import { resolveModel, type ResolvedModel } from './models.js';
import { estimateInputTokens } from './count-tokens.js';
import { stringifyReusing } from './json-reuse.js';
import { askStreamUsage } from './policies/stream-usage.js';
import { applyPolicies } from './upstream-request.js';
import type { ClientGone } from '../upstream/client-gone.js';
import type { RequestRecord } from '../observability/request-record.js';

export interface ProxyInput {
  client: Dialect;
  body: unknown;
  /**
   * Hands over the JSON text `body` was parsed from, when at hand: a pass-through then
   * serialises only what the policies changed. Taken once, by `prepare`, so that nothing
   * holds the text while the answer streams.
   */
  source?: () => string | undefined;
  headers: IncomingHttpHeaders;
  signal: ClientGone;
  /** What the request did, for metrics and logs (the API routes always give one). */
  record?: RequestRecord;
  /** Gemini-style routes carry the model and the stream choice in the path. */
  model?: string;
  stream?: boolean;
}

/** A request made ready for the upstream, once, before any attempt. */
export interface Prepared {
  model: ResolvedModel;
  upstream: Dialect;
  /** The upstream body, policies applied, serialised once for every attempt. */
  body: WireObject;
  json: string;
  clientStream: boolean;
  /** The IR, when the request was converted (undefined on pass-through). */
  ir: IrRequest | undefined;
  passThrough: boolean;
  /** A passed-through Chat stream whose usage chunk the client did not ask for (policies/stream-usage.ts). */
  hideUsageChunk: boolean;
  /** A converted Anthropic stream's prompt estimate, for message_start (count-tokens.ts). */
  inputTokensEstimate?: number;
}

/**
 * From this size on, a pass-through body reuses the client's text for the members the
 * policies left alone; below it JSON.stringify is faster (figures in docs/PERFORMANCE.md,
 * "A pass-through body is serialised only where the policies changed it").
 */
const REUSE_MIN_CHARS = 8 * 1024;

/** Client body → upstream body: pass-through when the dialects match, else through the IR. */
export function prepare(services: Services, input: ProxyInput): Prepared {
  const source = input.source?.(); // taken on every path: whoever does not use it lets it go
  if (!isRecord(input.body)) throw invalidRequest('The request body must be a JSON object');
  const given = input.model === undefined ? input.body : { ...input.body, model: input.model };
  // Once, on the client's own body: the same rules whichever path (converted or passed through) follows.
  const raw = services.keywordFilter.apply(given, input.client.id);
  if (typeof raw.model !== 'string' || raw.model === '') throw invalidRequest('model is required', 'model');
  const model = resolveModel(services.settings.config, raw.model);
  services.retiredModels.note(model, services.log);
  const upstream = services.dialects[model.upstream];
  const system = services.settings.config.system_prompt;
  if (upstream.id === input.client.id) {
    const { body, hideUsageChunk } = askStreamUsage(applyPolicies(raw, model, system), model.upstream);
    const clientStream = input.stream ?? raw.stream === true;
    const json = source !== undefined && source.length >= REUSE_MIN_CHARS ? stringifyReusing(body, input.body, source) : JSON.stringify(body);
    return { model, upstream, body, json, clientStream, ir: undefined, passThrough: true, hideUsageChunk };
  }
  const ir = input.client.parseRequest(input.stream === undefined ? raw : { ...raw, stream: input.stream });
  measureRequestSchemas(ir);
  const body = applyPolicies(upstream.buildRequest(ir, model.config.id), model, system);
  // A client stream that names the prompt's tokens first gets the gateway's estimate, in case the upstream has not counted yet.
  const estimate = ir.stream && input.client.profile.opensWithInputTokens ? { inputTokensEstimate: estimateInputTokens(raw, system) } : {};
  return { model, upstream, body, json: JSON.stringify(body), clientStream: ir.stream, ir, passThrough: false, hideUsageChunk: false, ...estimate };
}
