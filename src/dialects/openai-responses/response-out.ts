/**
 * A whole IR answer → the non-stream Responses object, the same object response.completed
 * carries. `output_text` is not a wire field: the SDK computes it from the message items.
 * Spec: https://platform.openai.com/docs/api-reference/responses/object
 */
import type { WireObject } from '../dialect.js';
import { assertNever, type IrResponse, type WriteContext } from '../ir.js';
import { incompleteReasonFromFinish } from './maps.js';
import {
  GATEWAY_REASONING_PREFIX,
  customCallItem,
  customInput,
  functionCallItem,
  isCustomTool,
  messageItem,
  reasoningItem,
  responseObject,
} from './output-items.js';
import type { ResponsesOutputItem } from './wire.js';

export function writeResponsesResponse(res: IrResponse, ctx: WriteContext): WireObject {
  const incomplete = incompleteReasonFromFinish(res.finishReason);
  const output = outputItems(res, ctx);
  return incomplete
    ? responseObject(ctx, { status: 'incomplete', output, usage: res.usage, incomplete })
    : responseObject(ctx, { status: 'completed', output, usage: res.usage });
}

function outputItems(res: IrResponse, ctx: WriteContext): ResponsesOutputItem[] {
  const items: ResponsesOutputItem[] = [];
  for (const part of res.content) {
    switch (part.kind) {
      case 'text': {
        // collect() merges adjacent text, so each text part is one message item.
        items.push(messageItem(ctx.newId('msg_'), part.text, 'completed'));
        break;
      }
      case 'thinking':
        // A redacted thought is another provider's opaque data: Responses cannot carry it.
        if (part.redacted === undefined) {
          const id = part.itemId ?? ctx.newId(GATEWAY_REASONING_PREFIX);
          items.push(reasoningItem(id, part.text, part.signature));
        }
        break;
      case 'tool_call': {
        const call = { callId: part.id, name: part.name, args: part.arguments };
        items.push(
          isCustomTool(ctx.tools, part.name)
            ? customCallItem(ctx.newId('ctc_'), call, customInput(part.arguments), 'completed', ctx.tools)
            : functionCallItem(ctx.newId('fc_'), call, 'completed', ctx.tools),
        );
        break;
      }
      default:
        assertNever(part);
    }
  }
  return items;
}
