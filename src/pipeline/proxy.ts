import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { collect } from '../dialects/collect.js';
import type { Dialect, SseEvent, WireObject } from '../dialects/dialect.js';
import type { DialectId, IrErrorInfo, IrRequest, WriteContext } from '../dialects/ir.js';
import { isRecord } from '../dialects/shared/json.js';
import { invalidRequest } from '../errors.js';
import type { Services } from '../services.js';
import { decodeSse } from '../upstream/sse/sse-decoder.js';
import { upstreamHttpError } from '../upstream/upstream-error.js';
import { resolveModel, type ResolvedModel } from './models.js';
import { fromArray, guardStream, peekAnswer, toArray } from './stream-guard.js';
import { applyPolicies, callIdentity, upstreamHeaders } from './upstream-request.js';

export interface ProxyInput {
  client: Dialect;
  body: unknown;
  headers: IncomingHttpHeaders;
  signal: AbortSignal;
  /** Gemini-style routes carry the model and the stream choice in the path. */
  model?: string;
  stream?: boolean;
}

/** What the route writes back: bytes piped as they are, converted SSE events, or JSON. */
export type ProxyResult =
  | { kind: 'sse-bytes'; body: Readable; onError: (err: IrErrorInfo) => SseEvent[] }
  | { kind: 'json-bytes'; status: number; body: Readable & { json(): Promise<unknown> } }
  | { kind: 'sse'; events: AsyncIterable<SseEvent> }
  | { kind: 'json'; status: number; body: WireObject };

const RESPONSE_ID_PREFIX: Record<DialectId, string> = {
  anthropic: 'msg_',
  'openai-chat': 'chatcmpl-',
  'openai-responses': 'resp_',
  google: 'resp_',
};

interface Prepared {
  model: ResolvedModel;
  upstream: Dialect;
  body: WireObject;
  clientStream: boolean;
  ir: IrRequest | undefined;
}

/** Client body → upstream body: pass-through when the dialects match, else through the IR. */
function prepare(services: Services, input: ProxyInput): Prepared {
  if (!isRecord(input.body)) throw invalidRequest('The request body must be a JSON object');
  const raw = input.model === undefined ? input.body : { ...input.body, model: input.model };
  if (typeof raw.model !== 'string' || raw.model === '') throw invalidRequest('model is required', 'model');
  const model = resolveModel(services.settings.config, raw.model);
  const upstream = services.dialects[model.upstream];
  const system = services.settings.config.system_prompt;
  if (upstream.id === input.client.id) {
    const clientStream = input.stream ?? raw.stream === true;
    return { model, upstream, body: applyPolicies(raw, model, system), clientStream, ir: undefined };
  }
  const ir = input.client.parseRequest(input.stream === undefined ? raw : { ...raw, stream: input.stream });
  const body = applyPolicies(upstream.buildRequest(ir, model.config.id), model, system);
  return { model, upstream, body, clientStream: ir.stream, ir };
}

export async function proxy(services: Services, input: ProxyInput): Promise<ProxyResult> {
  const prep = prepare(services, input);
  const { model, upstream, body, clientStream, ir } = prep;
  const identity = callIdentity(services, input.headers, ir?.extensions.promptCacheKey ?? body.prompt_cache_key);
  const lease = services.credentials.acquire({
    clientAuthorization: firstHeader(input.headers.authorization),
    clientApiKey: firstHeader(input.headers['x-api-key']),
    sessionId: identity.clientSession,
  });
  const res = await services.upstream.send({
    url: model.endpointUrl,
    headers: upstreamHeaders(services, model, input.headers, identity, lease.authorization, body.stream === true),
    body: JSON.stringify(body),
    signal: input.signal,
  });
  lease.report({ status: res.status });
  if (res.status >= 400) {
    const text = await res.body.text();
    throw upstreamHttpError(res.status, res.headers, text, services.clock.now());
  }

  const isSse = String(res.headers['content-type'] ?? '').includes('text/event-stream');
  if (upstream.id === input.client.id) {
    if (isSse && clientStream) return { kind: 'sse-bytes', body: res.body, onError: (e) => input.client.streamError(e) };
    if (!isSse && !clientStream) return { kind: 'json-bytes', status: res.status, body: res.body };
  }

  const ctx: WriteContext = {
    id: services.ids.next(RESPONSE_ID_PREFIX[input.client.id]),
    model: model.requested,
    created: Math.floor(services.clock.now() / 1000),
    includeUsage: ir?.includeUsage ?? false,
    newId: (prefix) => services.ids.next(prefix),
    tools: ir?.tools ?? [],
  };
  const events = guardStream(isSse ? upstream.parseStream(decodeSse(res.body)) : fromArray(upstream.parseResponse(await res.body.json())));
  if (clientStream) return { kind: 'sse', events: input.client.writeStream(await peekAnswer(events), ctx) };
  return { kind: 'json', status: 200, body: input.client.writeResponse(collect(await toArray(events)), ctx) };
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}
