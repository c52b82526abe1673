/**
 * IR messages → Anthropic `messages` (https://docs.anthropic.com/en/api/messages#body-messages).
 * Anthropic is stricter than the IR: roles must alternate, tool results must open the
 * user turn that follows the tool calls, text blocks must not be blank, and thinking can
 * only be sent back with the signature Anthropic issued for it.
 */
import { Buffer } from 'node:buffer';
import { assertNever, type IrFilePart, type IrImagePart, type IrMessage, type IrPart, type IrTextPart } from '../ir.js';
import { argumentsObject } from '../shared/json.js';
import type {
  AnthropicImageBlockOut,
  AnthropicMessageParam,
  AnthropicRequestBlock,
  AnthropicSourceOut,
  AnthropicTextBlockOut,
} from './wire-out.js';

/** Image types Anthropic accepts (https://docs.anthropic.com/en/docs/build-with-claude/vision). */
const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export function buildMessages(messages: IrMessage[]): AnthropicMessageParam[] {
  const out: AnthropicMessageParam[] = [];
  for (const message of messages) {
    const content = message.parts.flatMap(buildPart);
    // An empty turn is rejected; dropping it lets its neighbours merge below.
    if (content.length === 0) continue;
    const prev = out.at(-1);
    if (prev?.role === message.role) prev.content.push(...content);
    else out.push({ role: message.role, content });
  }
  return out.map(orderBlocks);
}

/** Tool results first in a user turn, thinking first in an assistant turn (stable otherwise). */
function orderBlocks(message: AnthropicMessageParam): AnthropicMessageParam {
  const leads = (b: AnthropicRequestBlock): boolean =>
    message.role === 'user' ? b.type === 'tool_result' : b.type === 'thinking' || b.type === 'redacted_thinking';
  return { role: message.role, content: [...message.content.filter(leads), ...message.content.filter((b) => !leads(b))] };
}

function buildPart(part: IrPart): AnthropicRequestBlock[] {
  switch (part.kind) {
    case 'text':
      return buildText(part);
    case 'image':
      return buildImage(part);
    case 'file':
      return buildFile(part);
    case 'tool_call':
      return [{ type: 'tool_use', id: toolId(part.id), name: part.name, input: argumentsObject(part.arguments) }];
    case 'tool_result': {
      const content = part.content.flatMap((p): Array<AnthropicTextBlockOut | AnthropicImageBlockOut> =>
        p.kind === 'text' ? buildText(p) : buildImage(p),
      );
      return [
        {
          type: 'tool_result',
          tool_use_id: toolId(part.callId),
          content: content.length > 0 ? content : '',
          ...(part.isError ? { is_error: true as const } : {}),
        },
      ];
    }
    case 'thinking':
      if (part.redacted !== undefined) return [{ type: 'redacted_thinking', data: part.redacted }];
      // Unsigned thinking, or reasoning another provider signed (a Responses item), did not
      // come from Anthropic; it would reject it.
      if (part.signature === undefined || part.itemId !== undefined) return [];
      return [{ type: 'thinking', thinking: part.text, signature: part.signature }];
    default:
      return assertNever(part);
  }
}

/** Anthropic rejects text blocks that are empty or only whitespace. */
function buildText(part: IrTextPart): AnthropicTextBlockOut[] {
  if (part.text.trim() === '') return [];
  const block: AnthropicTextBlockOut = { type: 'text', text: part.text };
  if (part.cache) block.cache_control = part.cache.ttl ? { type: 'ephemeral', ttl: part.cache.ttl } : { type: 'ephemeral' };
  return [block];
}

function buildImage(part: IrImagePart): AnthropicImageBlockOut[] {
  const src = part.source;
  if (src.type === 'url') return [{ type: 'image', source: { type: 'url', url: src.url } }];
  if (!IMAGE_TYPES.has(src.mediaType)) return [];
  return [{ type: 'image', source: { type: 'base64', media_type: src.mediaType, data: src.data } }];
}

/**
 * Documents Anthropic reads: PDFs (base64 or URL) and plain text; images sent as files
 * become image blocks. Other formats (docx, audio…) would be a 400, so they are dropped.
 */
function buildFile(part: IrFilePart): AnthropicRequestBlock[] {
  const src = part.source;
  const title = part.filename ? { title: part.filename } : {};
  let source: AnthropicSourceOut;
  if (src.type === 'url') source = { type: 'url', url: src.url };
  else if (src.mediaType.startsWith('image/')) return buildImage({ kind: 'image', source: src });
  else if (src.mediaType === 'application/pdf') source = { type: 'base64', media_type: src.mediaType, data: src.data };
  else if (src.mediaType.startsWith('text/')) {
    source = { type: 'text', media_type: 'text/plain', data: Buffer.from(src.data, 'base64').toString('utf8') };
  } else return [];
  return [{ type: 'document', source, ...title }];
}

/** tool_use ids must match ^[a-zA-Z0-9_-]+$; other providers' ids may not, so both ends are mapped alike. */
function toolId(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, '_');
}
