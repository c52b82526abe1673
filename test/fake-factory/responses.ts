import { requestIdHeaders } from './errors.js';
import { isRecord, str, type Json } from './json.js';
import { argumentPieces, textPieces } from './pieces.js';
import { joinTexts, type AnswerContext, type Endpoint, type Plan } from './plan.js';
import type { Reply } from './reply.js';
import { validateResponses } from './responses-validate.js';
import { FrameSink } from './sse.js';

/**
 * OpenAI Responses, as served on /api/llm/o/v1/responses.
 * Stream events: https://platform.openai.com/docs/api-reference/responses-streaming
 */

function lastUserText(body: Json): string {
  if (typeof body.input === 'string') return body.input;
  const items = Array.isArray(body.input) ? body.input : [];
  for (let i = items.length - 1; i >= 0; i -= 1) {
    const item: unknown = items[i];
    if (!isRecord(item) || item.role !== 'user') continue;
    if (typeof item.content === 'string') return item.content;
    if (!Array.isArray(item.content)) continue;
    const text = joinTexts(item.content, (p) => (isRecord(p) && p.type === 'input_text' ? str(p.text) : undefined));
    if (text !== '') return text;
  }
  return '';
}

function wantsThinking(body: Json): boolean {
  const effort = isRecord(body.reasoning) ? body.reasoning.effort : undefined;
  return typeof effort === 'string' && effort !== 'none';
}

function usage(plan: Plan): Json {
  const u = plan.usage;
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cached },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning },
    total_tokens: u.input + u.output,
  };
}

/** The response object with what is known before any output. */
function envelope(ctx: AnswerContext, id: string): Json {
  const b = ctx.body;
  const reasoning = isRecord(b.reasoning) ? b.reasoning : {};
  return {
    id,
    object: 'response',
    created_at: Math.floor(ctx.nowMs / 1000),
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: b.instructions ?? null,
    max_output_tokens: b.max_output_tokens ?? null,
    model: ctx.plan.model,
    output: [],
    parallel_tool_calls: b.parallel_tool_calls ?? true,
    previous_response_id: b.previous_response_id ?? null,
    reasoning: { effort: reasoning.effort ?? null, summary: reasoning.summary ?? null },
    store: b.store ?? true,
    temperature: b.temperature ?? 1,
    text: b.text ?? { format: { type: 'text' } },
    tool_choice: b.tool_choice ?? 'auto',
    tools: b.tools ?? [],
    top_p: b.top_p ?? 1,
    truncation: b.truncation ?? 'disabled',
    usage: null,
    user: null,
    metadata: b.metadata ?? {},
  };
}

/** Every output item, complete, in order; the stream announces each before filling it. */
function outputItems(ctx: AnswerContext): Json[] {
  const { plan, ids } = ctx;
  const items: Json[] = [];
  if (plan.thinking !== '') {
    items.push({
      id: ids.next('rs_'),
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: plan.thinking }],
      encrypted_content: `enc-${ids.serial()}`,
    });
  }
  if (plan.text !== '') {
    items.push({
      id: ids.next('msg_'),
      type: 'message',
      status: plan.finish === 'length' ? 'incomplete' : 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: plan.text, annotations: [], logprobs: [] }],
    });
  }
  for (const call of plan.toolCalls) {
    items.push({
      id: ids.next('fc_'),
      type: 'function_call',
      status: 'completed',
      arguments: JSON.stringify(call.arguments),
      call_id: call.id ?? ids.next('call_'),
      name: call.name,
    });
  }
  return items;
}

function finalResponse(ctx: AnswerContext, id: string, output: Json[]): Json {
  const length = ctx.plan.finish === 'length';
  return {
    ...envelope(ctx, id),
    status: length ? 'incomplete' : 'completed',
    incomplete_details: length ? { reason: 'max_output_tokens' } : null,
    output,
    usage: usage(ctx.plan),
  };
}

class ResponsesStream {
  readonly #sink: FrameSink;

  constructor(private readonly ctx: AnswerContext) {
    this.#sink = new FrameSink({
      midStream: ctx.plan.midStream,
      ping: ctx.pings ? { kind: 'comment', text: 'keep-alive' } : undefined,
      haltOn: ctx.plan.text === '' ? 'any' : 'text',
      sequence: true,
    });
  }

  build(id: string, output: Json[]): Reply {
    const start = envelope(this.ctx, id);
    this.#emit('response.created', { response: start });
    this.#emit('response.in_progress', { response: start });
    output.forEach((item, index) => {
      this.#sink.ping();
      const base = { item_id: item.id, output_index: index };
      this.#emit('response.output_item.added', { output_index: index, item: opened(item) });
      if (item.type === 'reasoning') this.#reasoning(base, this.ctx.plan.thinking);
      if (item.type === 'message') this.#message(base, this.ctx.plan.text);
      if (item.type === 'function_call') this.#functionCall(base, str(item.name) ?? '', str(item.arguments) ?? '');
      this.#emit('response.output_item.done', { output_index: index, item });
    });
    const final = finalResponse(this.ctx, id, output);
    this.#emit(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
    const body = this.#sink.end(() => ({
      event: 'response.failed',
      data: {
        type: 'response.failed',
        response: { ...start, status: 'failed', error: { code: 'server_error', message: this.ctx.plan.errorMessage ?? 'The server had an error while processing your request.' } },
      },
    }));
    return { kind: 'sse', status: 200, headers: requestIdHeaders('openai', this.ctx.requestId), eol: this.ctx.eol, ...body };
  }

  #emit(type: string, fields: Json, delta?: 'text' | 'other'): void {
    if (delta === undefined) this.#sink.event(type, { type, ...fields });
    else this.#sink.delta(type, { type, ...fields }, delta);
  }

  #reasoning(base: Json, text: string): void {
    const at = { ...base, summary_index: 0 };
    this.#emit('response.reasoning_summary_part.added', { ...at, part: { type: 'summary_text', text: '' } });
    for (const delta of textPieces(text)) this.#emit('response.reasoning_summary_text.delta', { ...at, delta }, 'other');
    this.#emit('response.reasoning_summary_text.done', { ...at, text });
    this.#emit('response.reasoning_summary_part.done', { ...at, part: { type: 'summary_text', text } });
  }

  #message(base: Json, text: string): void {
    const at = { ...base, content_index: 0 };
    this.#emit('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [] } });
    for (const delta of textPieces(text)) this.#emit('response.output_text.delta', { ...at, delta, logprobs: [] }, 'text');
    this.#emit('response.output_text.done', { ...at, text, logprobs: [] });
    this.#emit('response.content_part.done', { ...at, part: { type: 'output_text', text, annotations: [] } });
  }

  #functionCall(base: Json, name: string, args: string): void {
    for (const delta of argumentPieces(args)) this.#emit('response.function_call_arguments.delta', { ...base, delta }, 'other');
    this.#emit('response.function_call_arguments.done', { ...base, name, arguments: args });
  }
}

/** An item as output_item.added shows it: in progress, before any content. */
function opened(item: Json): Json {
  if (item.type === 'reasoning') return { id: item.id, type: 'reasoning', summary: [] };
  if (item.type === 'message') return { ...item, status: 'in_progress', content: [] };
  return { ...item, status: 'in_progress', arguments: '' };
}

export const openaiResponses: Endpoint = {
  family: 'openai',
  validate: validateResponses,
  lastUserText,
  wantsThinking,
  isStream: (body) => body.stream === true,
  answer(ctx) {
    const id = ctx.ids.next('resp_');
    const output = outputItems(ctx);
    if (ctx.body.stream === true) return new ResponsesStream(ctx).build(id, output);
    const headers = requestIdHeaders('openai', ctx.requestId);
    return { kind: 'json', status: 200, headers, body: finalResponse(ctx, id, output), cut: false };
  },
};
