/**
 * IR events → client Chat Completions SSE
 * (https://platform.openai.com/docs/api-reference/chat-streaming/streaming).
 * Data-only events, each a chat.completion.chunk, then `data: [DONE]`. The finish chunk goes out
 * at `finish`; the usage chunk (when the client asked for it) and `[DONE]` wait for the end of
 * the IR stream, because usage may arrive after finish.
 */
import type { SseEvent, WireObject } from '../dialect.js';
import { assertNever, type IrErrorInfo, type IrUsage, type WriteContext } from '../ir.js';
import { jsonEvent } from '../../dialect-kit/json.js';
import { DialectStreamWriter, type IrContentEvent, type IrFinishEvent } from '../../dialect-kit/stream-writer.js';
import { CHAT_DONE, chatStreamError } from './errors.js';
import { finishToChat } from './maps.js';
import { usageToChat } from './usage.js';

const FINISH_FIELD = ',"logprobs":null,"finish_reason":';

/** The constant text around a chunk's delta: `{"id":…,"choices":[{"index":0,"delta":` and what closes it. */
function chunkFrame(ctx: WriteContext): { head: string; tail: string } {
  const { id, created, model } = ctx;
  const head = JSON.stringify({ id, object: 'chat.completion.chunk', created, model }).slice(0, -1) + ',"choices":[{"index":0,"delta":';
  // With include_usage, OpenAI sends `usage: null` on every chunk but the last.
  return { head, tail: ctx.includeUsage ? '}],"usage":null}' : '}]}' };
}

/** idle: nothing sent; open: role chunk sent; finished: finish chunk sent. */
type WriterState = 'idle' | 'open' | 'finished';

export class ChatStreamWriter extends DialectStreamWriter {
  #state: WriterState = 'idle';
  /** Tool calls of this answer: IR call id → the `index` Chat deltas carry (0, 1, 2…). */
  readonly #calls = new Map<string, number>();
  #frame: { head: string; tail: string } | undefined;

  protected override writeContent(ev: IrContentEvent): SseEvent[] {
    switch (ev.kind) {
      case 'start':
        return this.#open();
      case 'text_delta':
        return ev.text === '' ? [] : this.#delta({ content: ev.text });
      case 'thinking_delta':
        return ev.text === '' ? [] : this.#delta({ reasoning_content: ev.text });
      case 'thinking_signature':
      case 'redacted_thinking':
        return []; // Chat has no field for signatures or redacted thinking.
      case 'tool_call_start': {
        const index = this.#calls.size;
        this.#calls.set(ev.id, index);
        return this.#delta({
          tool_calls: [{ index, id: ev.id, type: 'function', function: { name: ev.name, arguments: '' } }],
        });
      }
      case 'tool_call_delta': {
        const index = this.#calls.get(ev.id);
        if (index === undefined || ev.argumentsDelta === '') return [];
        return this.#delta({ tool_calls: [{ index, function: { arguments: ev.argumentsDelta } }] });
      }
      case 'tool_call_end':
        return []; // Chat closes calls only with finish_reason.
      default:
        return assertNever(ev);
    }
  }

  /** The finish chunk goes out at once; a second finish has nothing left to say. */
  protected override writeFinish(finish: IrFinishEvent): SseEvent[] {
    if (this.#state === 'finished') return [];
    const out = this.#open();
    this.#state = 'finished';
    out.push(this.#chunk({}, finishToChat(finish.reason)));
    return out;
  }

  protected override writeError(error: IrErrorInfo): SseEvent[] {
    return chatStreamError(error);
  }

  /** The usage chunk, when the client asked for it, and `[DONE]`. */
  protected override writeClosing(_finish: IrFinishEvent, usage: IrUsage): SseEvent[] {
    if (!this.ctx.includeUsage) return [CHAT_DONE];
    const { id, created, model } = this.ctx;
    const usageChunk = jsonEvent({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageToChat(usage) });
    return [usageChunk, CHAT_DONE];
  }

  /** The first chunk carries the role, as OpenAI's does, whatever the first content is. */
  #open(): SseEvent[] {
    if (this.#state !== 'idle') return [];
    this.#state = 'open';
    return [this.#chunk({ role: 'assistant', content: '', refusal: null })];
  }

  #delta(delta: WireObject): SseEvent[] {
    // Content after the finish chunk would reach no client: it has stopped reading choices.
    if (this.#state === 'finished') return [];
    const out = this.#open();
    out.push(this.#chunk(delta));
    return out;
  }

  /**
   * One chat.completion.chunk. Everything but the delta and the finish reason is the same
   * in every chunk of an answer, so it is serialised once (byte for byte what
   * JSON.stringify of the whole chunk gives) and each chunk stringifies only its delta.
   */
  #chunk(delta: WireObject, finishReason: string | null = null): SseEvent {
    this.#frame ??= chunkFrame(this.ctx);
    return { data: this.#frame.head + JSON.stringify(delta) + FINISH_FIELD + JSON.stringify(finishReason) + this.#frame.tail };
  }
}
