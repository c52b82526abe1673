import { GatewayError } from '../errors.js';
import {
  assertNever,
  type IrEvent,
  type IrResponse,
  type IrThinkingPart,
  type IrToolCallPart,
  type IrUsage,
} from './ir.js';

/** Merges a cumulative usage snapshot into the running total. */
export function mergeUsage(into: IrUsage, next: IrUsage): IrUsage {
  const out: IrUsage = { ...into };
  for (const [key, value] of Object.entries(next) as Array<[keyof IrUsage, number | undefined]>) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * Folds a stream of IR events into one whole answer, so that a non-streaming reply is
 * the stream folded up (one source of truth). Throws on impossible orders and turns an
 * `error` event into a GatewayError.
 */
export function collect(events: Iterable<IrEvent>): IrResponse {
  const res: IrResponse = { content: [], finishReason: 'stop', usage: {} };
  const openCalls = new Map<string, IrToolCallPart>();
  let finished = false;
  let last: IrResponse['content'][number] | undefined;

  const thinking = (): IrThinkingPart => {
    if (last?.kind === 'thinking' && last.signature === undefined && last.redacted === undefined) return last;
    const part: IrThinkingPart = { kind: 'thinking', text: '' };
    res.content.push(part);
    return (last = part);
  };

  for (const ev of events) {
    switch (ev.kind) {
      case 'start':
        res.id ??= ev.id;
        res.model ??= ev.model;
        break;
      case 'text_delta':
        if (last?.kind === 'text') last.text += ev.text;
        else res.content.push((last = { kind: 'text', text: ev.text }));
        break;
      case 'thinking_delta': {
        const part = thinking();
        part.text += ev.text;
        if (ev.itemId) part.itemId = ev.itemId;
        break;
      }
      case 'thinking_signature':
        thinking().signature = ev.signature;
        break;
      case 'redacted_thinking':
        res.content.push((last = { kind: 'thinking', text: '', redacted: ev.data }));
        break;
      case 'tool_call_start': {
        const call: IrToolCallPart = { kind: 'tool_call', id: ev.id, name: ev.name, arguments: '' };
        if (ev.signature) call.signature = ev.signature;
        openCalls.set(ev.id, call);
        res.content.push((last = call));
        break;
      }
      case 'tool_call_delta': {
        const call = openCalls.get(ev.id);
        if (!call) throw new GatewayError('upstream_error', `tool call delta before its start (${ev.id})`);
        call.arguments += ev.argumentsDelta;
        break;
      }
      case 'tool_call_end':
        openCalls.delete(ev.id);
        break;
      case 'usage':
        res.usage = mergeUsage(res.usage, ev.usage);
        break;
      case 'finish':
        res.finishReason = ev.reason;
        if (ev.stopSequence !== undefined) res.stopSequence = ev.stopSequence;
        finished = true;
        break;
      case 'error':
        throw new GatewayError(ev.error.code, ev.error.message, { status: ev.error.status });
      default:
        assertNever(ev);
    }
  }
  if (!finished) throw new GatewayError('upstream_error', 'upstream answer ended before it finished');
  return res;
}
