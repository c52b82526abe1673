import { validateAnthropic } from './anthropic-validate.js';
import { requestIdHeaders } from './errors.js';
import { isRecord, str, type Json } from './json.js';
import { argumentPieces, textPieces } from './pieces.js';
import { joinTexts, type AnswerContext, type Endpoint, type Plan } from './plan.js';
import type { Reply } from './reply.js';
import { FrameSink } from './sse.js';

/**
 * Anthropic Messages, as served on /api/llm/a/v1/messages.
 * Stream events: https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */

const STOP_REASONS = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' } as const;

function lastUserText(body: Json): string {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const m: unknown = messages[i];
    if (!isRecord(m) || m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (!Array.isArray(m.content)) continue;
    const text = joinTexts(m.content, (b) => (isRecord(b) && b.type === 'text' ? str(b.text) : undefined));
    if (text !== '') return text;
  }
  return '';
}

function wantsThinking(body: Json): boolean {
  return isRecord(body.thinking) && (body.thinking.type === 'enabled' || body.thinking.type === 'adaptive');
}

/** Anthropic counts input without the cached part; the plan uses OpenAI semantics. */
function usage(plan: Plan, outputTokens: number): Json {
  return {
    input_tokens: Math.max(0, plan.usage.input - plan.usage.cached),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: plan.usage.cached,
    output_tokens: outputTokens,
  };
}

/** Ids and signature minted once per answer, shared by the stream and the final object. */
interface Minted {
  id: string;
  signature: string;
  toolIds: string[];
}

function mint(ctx: AnswerContext): Minted {
  return {
    id: ctx.ids.next('msg_'),
    signature: `sig-${ctx.ids.serial()}`,
    toolIds: ctx.plan.toolCalls.map((c) => c.id ?? ctx.ids.next('toolu_')),
  };
}

function messageObject(plan: Plan, m: Minted): Json {
  const { id, signature } = m;
  const content: Json[] = [];
  if (plan.thinking !== '') content.push({ type: 'thinking', thinking: plan.thinking, signature });
  if (plan.text !== '') content.push({ type: 'text', text: plan.text });
  plan.toolCalls.forEach((c, i) => content.push({ type: 'tool_use', id: m.toolIds[i], name: c.name, input: c.arguments }));
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: plan.model,
    content,
    stop_reason: STOP_REASONS[plan.finish],
    stop_sequence: null,
    usage: usage(plan, plan.usage.output),
  };
}

class AnthropicStream {
  readonly #sink: FrameSink;
  #index = 0;

  constructor(private readonly ctx: AnswerContext) {
    this.#sink = new FrameSink({
      midStream: ctx.plan.midStream,
      ping: ctx.pings ? { kind: 'event', event: 'ping', data: '{"type": "ping"}' } : undefined,
      haltOn: ctx.plan.text === '' ? 'any' : 'text',
      sequence: false,
    });
  }

  build(m: Minted): Reply {
    const { plan } = this.ctx;
    const start = { ...messageObject(plan, m), content: [], stop_reason: null, usage: usage(plan, 1) };
    this.#emit('message_start', { message: start });
    this.#sink.ping();
    if (plan.thinking !== '') {
      this.#block({ type: 'thinking', thinking: '', signature: '' }, () => {
        for (const piece of textPieces(plan.thinking)) this.#delta({ type: 'thinking_delta', thinking: piece }, 'other');
        this.#delta({ type: 'signature_delta', signature: m.signature }, 'other');
      });
    }
    if (plan.text !== '') {
      this.#block({ type: 'text', text: '' }, () => {
        for (const piece of textPieces(plan.text)) this.#delta({ type: 'text_delta', text: piece }, 'text');
      });
    }
    plan.toolCalls.forEach((call, i) => {
      this.#block({ type: 'tool_use', id: m.toolIds[i], name: call.name, input: {} }, () => {
        // The API opens every tool_use with an empty partial_json before the pieces.
        this.#delta({ type: 'input_json_delta', partial_json: '' }, 'other');
        for (const piece of argumentPieces(JSON.stringify(call.arguments))) {
          this.#delta({ type: 'input_json_delta', partial_json: piece }, 'other');
        }
      });
    });
    this.#emit('message_delta', {
      delta: { stop_reason: STOP_REASONS[plan.finish], stop_sequence: null },
      usage: { output_tokens: plan.usage.output },
    });
    this.#emit('message_stop', {});
    const body = this.#sink.end(() => ({
      event: 'error',
      data: { type: 'error', error: { type: 'overloaded_error', message: this.ctx.plan.errorMessage ?? 'Overloaded' } },
    }));
    return { kind: 'sse', status: 200, headers: requestIdHeaders('anthropic', this.ctx.requestId), eol: this.ctx.eol, ...body };
  }

  #emit(type: string, fields: Json): void {
    this.#sink.event(type, { type, ...fields });
  }

  #delta(delta: Json, kind: 'text' | 'other'): void {
    this.#sink.delta('content_block_delta', { type: 'content_block_delta', index: this.#index, delta }, kind);
  }

  #block(contentBlock: Json, body: () => void): void {
    if (this.#index > 0) this.#sink.ping();
    this.#emit('content_block_start', { index: this.#index, content_block: contentBlock });
    body();
    this.#emit('content_block_stop', { index: this.#index });
    this.#index += 1;
  }
}

export const anthropicMessages: Endpoint = {
  family: 'anthropic',
  validate: (body) => validateAnthropic(body, false),
  lastUserText,
  wantsThinking,
  isStream: (body) => body.stream === true,
  answer(ctx) {
    const minted = mint(ctx);
    if (ctx.body.stream === true) return new AnthropicStream(ctx).build(minted);
    const headers = requestIdHeaders('anthropic', ctx.requestId);
    return { kind: 'json', status: 200, headers, body: messageObject(ctx.plan, minted), cut: false };
  },
};

export const anthropicCountTokens: Endpoint = {
  family: 'anthropic',
  validate: (body) => validateAnthropic(body, true),
  lastUserText,
  wantsThinking: () => false,
  isStream: () => false,
  answer(ctx) {
    const headers = requestIdHeaders('anthropic', ctx.requestId);
    return { kind: 'json', status: 200, headers, body: { input_tokens: ctx.plan.usage.input }, cut: false };
  },
};
