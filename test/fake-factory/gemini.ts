import { field, validateGemini } from './gemini-validate.js';
import { isRecord, str, type Json } from './json.js';
import { textPieces } from './pieces.js';
import { joinTexts, type AnswerContext, type Endpoint, type Plan } from './plan.js';
import type { Reply } from './reply.js';
import { FrameSink } from './sse.js';

/**
 * Gemini generateContent, as served on /api/llm/g/v1/generate: Factory answers the
 * `alt=sse` stream (data-only GenerateContentResponse chunks) whatever the body says.
 * https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 */

const FINISH = { stop: 'STOP', length: 'MAX_TOKENS', tool_calls: 'STOP' } as const;

function lastUserText(body: Json): string {
  const contents = Array.isArray(body.contents) ? body.contents : [];
  for (let i = contents.length - 1; i >= 0; i -= 1) {
    const c: unknown = contents[i];
    if (!isRecord(c) || c.role === 'model' || !Array.isArray(c.parts)) continue;
    const text = joinTexts(c.parts, (p) => (isRecord(p) && p.thought !== true ? str(p.text) : undefined));
    if (text !== '') return text;
  }
  return '';
}

function wantsThinking(body: Json): boolean {
  const generation = isRecord(body) ? field(body, 'generationConfig') : undefined;
  const thinking = isRecord(generation) ? field(generation, 'thinkingConfig') : undefined;
  return isRecord(thinking) && field(thinking, 'includeThoughts') === true;
}

/** Gemini counts thoughts apart from candidates; the plan's output includes them. */
function usageMetadata(plan: Plan): Json {
  const u = plan.usage;
  const meta: Json = {
    promptTokenCount: u.input,
    candidatesTokenCount: Math.max(0, u.output - u.reasoning),
    totalTokenCount: u.input + u.output,
  };
  if (u.reasoning > 0) meta.thoughtsTokenCount = u.reasoning;
  if (u.cached > 0) meta.cachedContentTokenCount = u.cached;
  return meta;
}

/** Signatures are bytes, so on the wire they are base64. */
function signature(ctx: AnswerContext): string {
  return Buffer.from(`gsig-${ctx.ids.serial()}`).toString('base64');
}

/** Function calls arrive whole, together; only the first carries the signature (as Gemini 3 does). */
function callParts(ctx: AnswerContext): Json[] {
  return ctx.plan.toolCalls.map((c, i) => {
    const part: Json = { functionCall: { name: c.name, args: c.arguments } };
    if (i === 0) part.thoughtSignature = signature(ctx);
    return part;
  });
}

interface Chunk {
  parts: Json[];
  kind: 'text' | 'other';
}

function chunks(ctx: AnswerContext): Chunk[] {
  const { plan } = ctx;
  const out: Chunk[] = [];
  if (plan.thinking !== '') {
    const pieces = textPieces(plan.thinking);
    const sig = signature(ctx);
    pieces.forEach((text, i) => {
      const part: Json = { text, thought: true };
      if (i === pieces.length - 1) part.thoughtSignature = sig;
      out.push({ parts: [part], kind: 'other' });
    });
  }
  if (plan.text !== '') for (const text of textPieces(plan.text)) out.push({ parts: [{ text }], kind: 'text' });
  if (plan.toolCalls.length > 0) out.push({ parts: callParts(ctx), kind: 'other' });
  if (out.length === 0) out.push({ parts: [{ text: '' }], kind: 'other' });
  return out;
}

function response(ctx: AnswerContext, responseId: string, parts: Json[], last: boolean): Json {
  const candidate: Json = { content: { role: 'model', parts }, index: 0 };
  const out: Json = { candidates: [candidate] };
  if (last) {
    candidate.finishReason = FINISH[ctx.plan.finish];
    out.usageMetadata = usageMetadata(ctx.plan);
  } else {
    // Gemini counts the prompt from the first chunk on; the candidates' count comes at the end.
    out.usageMetadata = { promptTokenCount: ctx.plan.usage.input, totalTokenCount: ctx.plan.usage.input };
  }
  out.modelVersion = ctx.plan.model;
  out.responseId = responseId;
  return out;
}

function streamReply(ctx: AnswerContext, responseId: string): Reply {
  const sink = new FrameSink({
    midStream: ctx.plan.midStream,
    ping: ctx.pings ? { kind: 'comment', text: 'keep-alive' } : undefined,
    haltOn: ctx.plan.text === '' ? 'any' : 'text',
    sequence: false,
  });
  const all = chunks(ctx);
  all.forEach((chunk, i) => {
    if (i > 0) sink.ping();
    sink.delta(undefined, response(ctx, responseId, chunk.parts, i === all.length - 1), chunk.kind);
  });
  const body = sink.end(() => ({
    data: { error: { code: 503, message: ctx.plan.errorMessage ?? 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } },
  }));
  return { kind: 'sse', status: 200, headers: {}, eol: ctx.eol, ...body };
}

function jsonReply(ctx: AnswerContext, responseId: string): Reply {
  const { plan } = ctx;
  const parts: Json[] = [];
  if (plan.thinking !== '') parts.push({ text: plan.thinking, thought: true, thoughtSignature: signature(ctx) });
  if (plan.text !== '') parts.push({ text: plan.text });
  parts.push(...callParts(ctx));
  return { kind: 'json', status: 200, headers: {}, body: response(ctx, responseId, parts, true), cut: false };
}

export const googleGenerate: Endpoint = {
  family: 'google',
  validate: validateGemini,
  lastUserText,
  wantsThinking,
  isStream: (_body, googleMode) => googleMode === 'sse',
  answer(ctx) {
    const responseId = ctx.ids.next('resp-');
    return ctx.googleMode === 'sse' ? streamReply(ctx, responseId) : jsonReply(ctx, responseId);
  },
};
