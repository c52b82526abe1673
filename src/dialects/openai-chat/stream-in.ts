/**
 * Upstream Chat Completions SSE → IR events
 * (https://platform.openai.com/docs/api-reference/chat-streaming/streaming).
 * Each `data:` is a chat.completion.chunk or the literal `[DONE]`. Usage may arrive in its own
 * chunk after the finish chunk, so the stream ends at `[DONE]` (or end of input), not at finish_reason.
 */
import type { StreamParser } from '../../dialect-kit/stream-parser.js';
import { GatewayError } from '../../errors.js';
import type { SseEvent } from '../dialect.js';
import type { IrEvent } from '../ir.js';
import { parseEventJson } from '../../dialect-kit/json.js';
import { errorFromChat } from './errors.js';
import { finishFromChat } from './maps.js';
import { usageFromChat } from './usage.js';
import { OpenAIChatChunkSchema, type OpenAIChatChunk } from './wire-response.js';

type ParserState = 'idle' | 'streaming' | 'done';

type ChunkDelta = NonNullable<NonNullable<OpenAIChatChunk['choices']>[number]['delta']>;

/** Folds chunks into IR events; one instance per upstream stream. */
export class ChatStreamParser implements StreamParser {
  #state: ParserState = 'idle';
  /** Tool calls still open, by the chunk's `index` → the call id they were started with. */
  readonly #openCalls = new Map<number, string>();

  get done(): boolean {
    return this.#state === 'done';
  }

  push(ev: SseEvent): IrEvent[] {
    if (this.#state === 'done') return [];
    const data = ev.data.trim();
    if (data === '') return [];
    if (data === '[DONE]') return this.end();
    const parsed = OpenAIChatChunkSchema.safeParse(parseEventJson(ev));
    if (!parsed.success) {
      throw new GatewayError('upstream_error', 'upstream sent a malformed chat.completion.chunk', { cause: parsed.error });
    }
    return this.#chunk(parsed.data);
  }

  /** The upstream is done (by `[DONE]` or by closing): calls left open are closed. */
  end(): IrEvent[] {
    if (this.#state === 'done') return [];
    this.#state = 'done';
    return this.#closeCalls();
  }

  #chunk(chunk: OpenAIChatChunk): IrEvent[] {
    if (chunk.error) {
      this.#state = 'done';
      return [{ kind: 'error', error: errorFromChat(chunk.error) }];
    }
    const out: IrEvent[] = [];
    if (this.#state === 'idle') {
      this.#state = 'streaming';
      const start: IrEvent = { kind: 'start' };
      if (chunk.id) start.id = chunk.id;
      if (chunk.model) start.model = chunk.model;
      out.push(start);
    }
    // We ask for one choice; a provider that still sends more gets its first one read.
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    if (choice?.delta) out.push(...this.#delta(choice.delta, chunk.id ?? ''));
    if (choice?.finish_reason) out.push(...this.#closeCalls());
    if (chunk.usage) out.push({ kind: 'usage', usage: usageFromChat(chunk.usage) });
    if (choice?.finish_reason) out.push({ kind: 'finish', reason: finishFromChat(choice.finish_reason) });
    return out;
  }

  #delta(delta: ChunkDelta, chunkId: string): IrEvent[] {
    const out: IrEvent[] = [];
    // vLLM-style servers name it `reasoning`, DeepSeek-style ones `reasoning_content`; some send both.
    const thinking = delta.reasoning_content ?? delta.reasoning;
    if (thinking) out.push({ kind: 'thinking_delta', text: thinking });
    if (delta.content) out.push({ kind: 'text_delta', text: delta.content });
    for (const [position, call] of (delta.tool_calls ?? []).entries()) {
      const index = call.index ?? position;
      let id = this.#openCalls.get(index);
      if (id === undefined) {
        id = call.id || `call_${chunkId ? `${chunkId}_` : ''}${index}`;
        this.#openCalls.set(index, id);
        out.push({ kind: 'tool_call_start', id, name: call.function?.name ?? '' });
      }
      const args = call.function?.arguments;
      if (args) out.push({ kind: 'tool_call_delta', id, argumentsDelta: args });
    }
    return out;
  }

  #closeCalls(): IrEvent[] {
    const out: IrEvent[] = [...this.#openCalls.values()].map((id) => ({ kind: 'tool_call_end', id }));
    this.#openCalls.clear();
    return out;
  }
}

export function createChatStreamParser(): StreamParser {
  return new ChatStreamParser();
}
