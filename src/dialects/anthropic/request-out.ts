/**
 * IR → upstream Anthropic Messages body (https://docs.anthropic.com/en/api/messages).
 * Everything the upstream would answer with a 400 is adjusted or dropped here: thinking
 * in the form the model takes (budgets that fit max_tokens, or adaptive), sampling
 * parameters thinking forbids, tool loops whose last turn carries no signed thinking. Response formats, penalties and seeds have
 * no Anthropic counterpart and are dropped.
 */
import { Buffer } from 'node:buffer';
import type { WireObject } from '../dialect.js';
import {
  assertNever,
  type IrCacheControl,
  type IrEffort,
  type IrFilePart,
  type IrImagePart,
  type IrMessage,
  type IrPart,
  type IrRequest,
  type IrTextPart,
  type IrTool,
  type IrToolChoice,
} from '../ir.js';
import { cacheToWire } from '../../dialect-kit/cache-control.js';
import { freeformToolParameters } from '../../dialect-kit/freeform-tool.js';
import { argumentsObject } from '../../dialect-kit/json.js';
import type {
  AnthropicImageBlockOut,
  AnthropicMessageParam,
  AnthropicRequestBlock,
  AnthropicSourceOut,
  AnthropicTextBlockOut,
} from './wire-request.js';
import {
  adaptiveEffort,
  budgetForEffort,
  DEFAULT_MAX_TOKENS,
  DEFAULT_THINKING_BUDGET,
  effortForBudget,
  MIN_THINKING_BUDGET,
  thinkingStyle,
} from './maps.js';

export function buildRequest(ir: IrRequest, model: string): WireObject {
  const maxTokens = ir.maxTokens ?? DEFAULT_MAX_TOKENS;
  const messages = buildMessages(ir.messages);
  const thinking = buildThinking(ir, model, maxTokens, messages);
  const body: WireObject = { model, max_tokens: maxTokens, messages };
  const system = ir.system.filter((b) => b.text.trim() !== '').map((b) => withCache({ type: 'text', text: b.text }, b.cache));
  if (system.length > 0) body.system = system;
  if (ir.tools.length > 0) {
    body.tools = ir.tools.map(buildTool);
    const choice = buildToolChoice(ir.toolChoice, ir.parallelToolCalls);
    if (choice) body.tool_choice = choice;
  }
  if (thinking.thinking) body.thinking = thinking.thinking;
  if (thinking.effort) body.output_config = { effort: thinking.effort };
  // Thinking accepts neither temperature nor top_k, and top_p only from 0.95 up
  // (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#feature-compatibility).
  if (ir.temperature !== undefined && !thinking.on) body.temperature = ir.temperature;
  if (ir.topK !== undefined && !thinking.on) body.top_k = ir.topK;
  if (ir.topP !== undefined && (!thinking.on || ir.topP >= 0.95)) body.top_p = ir.topP;
  if (ir.stop?.length) body.stop_sequences = ir.stop;
  body.stream = ir.stream;
  if (ir.user) body.metadata = { user_id: ir.user };
  return body;
}

interface Thinking {
  thinking?: WireObject;
  /** `output_config.effort`, for models that think adaptively. */
  effort?: string;
  /** Thinking is on: the sampling parameters it forbids are left out. */
  on: boolean;
}

/**
 * The thinking fields the model takes (thinkingStyle in maps.ts): a budget up to Claude 4.5, `adaptive`
 * with an effort from 4.6 on. A model that only thinks adaptively refuses `disabled`, so a
 * client that asked for no reasoning sends no thinking field at all.
 */
function buildThinking(ir: IrRequest, model: string, maxTokens: number, messages: AnthropicMessageParam[]): Thinking {
  const style = thinkingStyle(model);
  const reasoning = ir.reasoning;
  if (style === 'budget') {
    const budget = mayThink(ir, messages) ? thinkingBudget(reasoning?.budgetTokens, reasoning?.effort, maxTokens) : undefined;
    if (budget !== undefined) return { thinking: { type: 'enabled', budget_tokens: budget }, on: true };
    return reasoning?.enabled === false ? { thinking: { type: 'disabled' }, on: false } : { on: false };
  }
  if (!mayThink(ir, messages)) {
    return reasoning?.enabled === false && style === 'adaptive' ? { thinking: { type: 'disabled' }, on: false } : { on: false };
  }
  const effort = reasoning?.effort ?? (reasoning?.budgetTokens !== undefined ? effortForBudget(reasoning.budgetTokens) : undefined);
  const level = effort === undefined ? undefined : adaptiveEffort(effort, style);
  return { thinking: { type: 'adaptive' }, ...(level !== undefined && { effort: level }), on: true };
}

/** The client asked for reasoning, and Anthropic would accept thinking on this request. */
function mayThink(ir: IrRequest, messages: AnthropicMessageParam[]): boolean {
  const reasoning = ir.reasoning;
  if (!reasoning?.enabled || reasoning.effort === 'none') return false;
  // Anthropic refuses thinking while tool use is forced.
  if (ir.toolChoice?.type === 'required' || ir.toolChoice?.type === 'tool') return false;
  return lastToolTurnIsSigned(messages);
}

/**
 * The budget_tokens to send, or undefined for no thinking. The client's max_tokens wins:
 * a budget that does not fit under it shrinks, and below the 1024 minimum thinking is off.
 */
function thinkingBudget(budgetTokens: number | undefined, effort: IrEffort | undefined, maxTokens: number): number | undefined {
  // Leave at least one token of answer beside the smallest budget.
  if (maxTokens <= MIN_THINKING_BUDGET + 1) return undefined;
  const wanted = budgetTokens ?? (effort ? budgetForEffort(effort) : DEFAULT_THINKING_BUDGET);
  const budget = Math.max(Math.floor(wanted), MIN_THINKING_BUDGET);
  return budget >= maxTokens ? maxTokens - 1 : budget;
}

/**
 * With thinking on, the last assistant turn of a tool loop must open with a (signed)
 * thinking block or Anthropic answers 400 "Expected thinking block". History from another
 * provider has none, so such a request goes without thinking.
 */
function lastToolTurnIsSigned(messages: AnthropicMessageParam[]): boolean {
  const last = messages.findLast((m) => m.role === 'assistant');
  if (!last || !last.content.some((b) => b.type === 'tool_use')) return true;
  const first = last.content[0];
  return first?.type === 'thinking' || first?.type === 'redacted_thinking';
}

function buildTool(tool: IrTool): WireObject {
  const out: WireObject = { name: tool.name };
  if (tool.description) out.description = tool.description;
  out.input_schema = tool.custom ? freeformToolParameters() : objectSchema(tool.parameters);
  return withCache(out, tool.cache);
}

/** input_schema must describe an object (https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use). */
function objectSchema(schema: Record<string, unknown>): Record<string, unknown> {
  if (schema.type === 'object') return schema;
  if (schema.type === undefined) return { type: 'object', properties: {}, ...schema };
  return { type: 'object', properties: {} };
}

function buildToolChoice(choice: IrToolChoice | undefined, parallel: boolean | undefined): WireObject | undefined {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (!choice) return parallel === false ? { type: 'auto', ...noParallel } : undefined;
  switch (choice.type) {
    case 'auto':
      return { type: 'auto', ...noParallel };
    case 'required':
      return { type: 'any', ...noParallel };
    case 'tool':
      return { type: 'tool', name: choice.name, ...noParallel };
    case 'none':
      return { type: 'none' };
    default:
      return assertNever(choice);
  }
}

function withCache<T extends WireObject>(target: T, cache: IrCacheControl | undefined): T {
  if (cache) Object.assign(target, { cache_control: cacheToWire(cache) });
  return target;
}

/** Image types Anthropic accepts (https://docs.anthropic.com/en/docs/build-with-claude/vision). */
const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/**
 * IR messages → Anthropic `messages` (https://docs.anthropic.com/en/api/messages#body-messages).
 * Anthropic is stricter than the IR: roles must alternate, tool results must open the
 * user turn that follows the tool calls, text blocks must not be blank, and thinking can
 * only be sent back with the signature Anthropic issued for it.
 */
function buildMessages(messages: IrMessage[]): AnthropicMessageParam[] {
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
  if (part.cache) block.cache_control = cacheToWire(part.cache);
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
