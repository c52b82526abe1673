import { validateChat } from './chat-validate.js';
import { requestIdHeaders } from './errors.js';
import { isRecord, str, type Json } from './json.js';
import { argumentPieces, textPieces } from './pieces.js';
import { joinTexts, type AnswerContext, type Endpoint, type Plan } from './plan.js';
import type { Reply } from './reply.js';
import { FrameSink } from './sse.js';

/**
 * OpenAI Chat Completions, as served on /api/llm/o/v1/chat/completions; reasoning
 * goes out as `reasoning_content` (the DeepSeek-style field Factory uses).
 * Chunks: https://platform.openai.com/docs/api-reference/chat-streaming
 */

function lastUserText(body: Json): string {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const m: unknown = messages[i];
    if (!isRecord(m) || m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (!Array.isArray(m.content)) continue;
    const text = joinTexts(m.content, (p) => (isRecord(p) && p.type === 'text' ? str(p.text) : undefined));
    if (text !== '') return text;
  }
  return '';
}

function wantsThinking(body: Json): boolean {
  return typeof body.reasoning_effort === 'string' && body.reasoning_effort !== 'none';
}

function usage(plan: Plan): Json {
  const u = plan.usage;
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

interface Minted {
  id: string;
  created: number;
  callIds: string[];
}

function mint(ctx: AnswerContext): Minted {
  return {
    id: ctx.ids.next('chatcmpl-'),
    created: Math.floor(ctx.nowMs / 1000),
    callIds: ctx.plan.toolCalls.map((c) => c.id ?? ctx.ids.next('call_')),
  };
}

function completion(plan: Plan, m: Minted): Json {
  const message: Json = { role: 'assistant', content: plan.text === '' && plan.toolCalls.length > 0 ? null : plan.text };
  if (plan.thinking !== '') message.reasoning_content = plan.thinking;
  message.refusal = null;
  if (plan.toolCalls.length > 0) {
    message.tool_calls = plan.toolCalls.map((c, i) => ({
      id: m.callIds[i],
      type: 'function',
      function: { name: c.name, arguments: JSON.stringify(c.arguments) },
    }));
  }
  return {
    id: m.id,
    object: 'chat.completion',
    created: m.created,
    model: plan.model,
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, message, logprobs: null, finish_reason: plan.finish }],
    usage: usage(plan),
  };
}

class ChatStream {
  readonly #sink: FrameSink;
  readonly #includeUsage: boolean;

  constructor(
    private readonly ctx: AnswerContext,
    private readonly m: Minted,
  ) {
    this.#sink = new FrameSink({
      midStream: ctx.plan.midStream,
      ping: ctx.pings ? { kind: 'comment', text: 'keep-alive' } : undefined,
      haltOn: ctx.plan.text === '' ? 'any' : 'text',
      sequence: false,
    });
    const opts = ctx.body.stream_options;
    this.#includeUsage = isRecord(opts) && opts.include_usage === true;
  }

  build(): Reply {
    const { plan } = this.ctx;
    this.#chunk({ role: 'assistant', content: '', refusal: null });
    this.#sink.ping();
    for (const piece of plan.thinking === '' ? [] : textPieces(plan.thinking)) {
      this.#chunk({ reasoning_content: piece }, 'other');
    }
    for (const piece of plan.text === '' ? [] : textPieces(plan.text)) this.#chunk({ content: piece }, 'text');
    plan.toolCalls.forEach((call, index) => {
      this.#sink.ping();
      const opening = { index, id: this.m.callIds[index], type: 'function', function: { name: call.name, arguments: '' } };
      this.#chunk({ tool_calls: [opening] }, 'other');
      for (const piece of argumentPieces(JSON.stringify(call.arguments))) {
        this.#chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, 'other');
      }
    });
    this.#chunk({}, undefined, plan.finish);
    if (this.#includeUsage) this.#sink.event(undefined, { ...this.#base(), choices: [], usage: usage(plan) });
    this.#sink.raw('[DONE]');
    const body = this.#sink.end(() => ({
      data: { error: { message: this.ctx.plan.errorMessage ?? 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } },
    }));
    return { kind: 'sse', status: 200, headers: requestIdHeaders('openai', this.ctx.requestId), eol: this.ctx.eol, ...body };
  }

  #base(): Json {
    const base: Json = {
      id: this.m.id,
      object: 'chat.completion.chunk',
      created: this.m.created,
      model: this.ctx.plan.model,
      system_fingerprint: 'fp_fake',
    };
    return base;
  }

  #chunk(delta: Json, kind?: 'text' | 'other', finish: string | null = null): void {
    const data: Json = { ...this.#base(), choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
    // With include_usage, OpenAI sends `usage: null` on every chunk but the last.
    if (this.#includeUsage) data.usage = null;
    if (kind === undefined) this.#sink.event(undefined, data);
    else this.#sink.delta(undefined, data, kind);
  }
}

export const openaiChat: Endpoint = {
  family: 'openai',
  validate: validateChat,
  lastUserText,
  wantsThinking,
  isStream: (body) => body.stream === true,
  answer(ctx) {
    const minted = mint(ctx);
    if (ctx.body.stream === true) return new ChatStream(ctx, minted).build();
    const headers = requestIdHeaders('openai', ctx.requestId);
    return { kind: 'json', status: 200, headers, body: completion(ctx.plan, minted), cut: false };
  },
};
