/** IR events → the client's echo stream: a `text` event per piece, `done` at the end. */
import type { SseEvent } from '../../../src/dialects/dialect.js';
import { assertNever, type IrErrorInfo, type IrUsage } from '../../../src/dialects/ir.js';
import { jsonEvent } from '../../../src/dialect-kit/json.js';
import { DialectStreamWriter, type IrContentEvent, type IrFinishEvent } from '../../../src/dialect-kit/stream-writer.js';
import { echoStreamError } from './errors.js';
import { finishToEcho } from './maps.js';
import { usageToEcho } from './usage.js';

export class EchoStreamWriter extends DialectStreamWriter {
  protected override writeContent(ev: IrContentEvent): SseEvent[] {
    switch (ev.kind) {
      case 'text_delta':
        return ev.text === '' ? [] : [jsonEvent({ text: ev.text }, 'text')];
      case 'start':
      case 'thinking_delta':
      case 'thinking_signature':
      case 'redacted_thinking':
      case 'tool_call_start':
      case 'tool_call_delta':
      case 'tool_call_end':
        return []; // Echo carries text only.
      default:
        return assertNever(ev);
    }
  }

  protected override writeError(error: IrErrorInfo): SseEvent[] {
    return echoStreamError(error);
  }

  protected override writeClosing(finish: IrFinishEvent, usage: IrUsage): SseEvent[] {
    return [jsonEvent({ stop: finishToEcho(finish.reason), usage: usageToEcho(usage) }, 'done')];
  }
}
