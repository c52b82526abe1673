/**
 * Anthropic Messages wire schemas for client requests
 * (https://docs.anthropic.com/en/api/messages). Validation is loose where real clients
 * differ (unknown fields pass, block types we cannot carry are kept as `unsupported` and
 * dropped later) and strict where a wrong type would corrupt the conversation: the first
 * bad field becomes `invalid_request` naming its path. The request blocks the gateway
 * writes for an upstream follow the schemas.
 */
import { z } from 'zod';
import type { WireCacheControl } from '../../dialect-kit/cache-control.js';
import { isRecord } from '../../dialect-kit/json.js';

const CacheControlSchema = z.looseObject({ type: z.string(), ttl: z.string().nullish() });

export const TextBlockSchema = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: CacheControlSchema.nullish(),
});

const ImageSourceSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal('url'), url: z.string() }),
  // Files API ids cannot be resolved by other providers; parsed so the block can be dropped.
  z.looseObject({ type: z.literal('file'), file_id: z.string() }),
]);

export const ImageBlockSchema = z.looseObject({ type: z.literal('image'), source: ImageSourceSchema });

/** Blocks a `content` document source or a tool result may nest. */
const NestedBlockSchema = z.preprocess(
  (v) => markUnsupported(v, NESTED_TYPES),
  z.discriminatedUnion('type', [TextBlockSchema, ImageBlockSchema, z.looseObject({ type: z.literal('unsupported') })]),
);

/** A string is shorthand for one text block (https://docs.anthropic.com/en/api/messages#body-messages-content). */
const nestedContent = z.preprocess(textShorthand, z.array(NestedBlockSchema));

const DocumentSourceSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal('url'), url: z.string() }),
  z.looseObject({ type: z.literal('text'), media_type: z.string().nullish(), data: z.string() }),
  z.looseObject({ type: z.literal('content'), content: nestedContent }),
  z.looseObject({ type: z.literal('file'), file_id: z.string() }),
]);

const DocumentBlockSchema = z.looseObject({
  type: z.literal('document'),
  source: DocumentSourceSchema,
  title: z.string().nullish(),
});

const ToolUseBlockSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown().optional(),
});

const ToolResultBlockSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: nestedContent.optional(),
  is_error: z.boolean().nullish(),
});

const ThinkingBlockSchema = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().nullish(),
});

const RedactedThinkingBlockSchema = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() });

/** Server tool blocks, search results, container uploads…: nothing another provider can take. */
const UnsupportedBlockSchema = z.looseObject({ type: z.literal('unsupported') });

const MESSAGE_TYPES: ReadonlySet<string> = new Set([
  'text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking',
]);
const NESTED_TYPES: ReadonlySet<string> = new Set(['text', 'image']);

const ContentBlockSchema = z.preprocess(
  (v) => markUnsupported(v, MESSAGE_TYPES),
  z.discriminatedUnion('type', [
    TextBlockSchema,
    ImageBlockSchema,
    DocumentBlockSchema,
    ToolUseBlockSchema,
    ToolResultBlockSchema,
    ThinkingBlockSchema,
    RedactedThinkingBlockSchema,
    UnsupportedBlockSchema,
  ]),
);

export type AnthropicContentBlockParam = z.infer<typeof ContentBlockSchema>;
export type AnthropicNestedBlockParam = z.infer<typeof NestedBlockSchema>;
export type AnthropicDocumentSource = z.infer<typeof DocumentSourceSchema>;

const MessageSchema = z.looseObject({
  // `system` in messages: Anthropic's mid-conversation system messages, which Claude Code
  // sends (e.g. its environment block) to models it does not know.
  role: z.enum(['user', 'assistant', 'system']),
  content: z.preprocess(textShorthand, z.array(ContentBlockSchema)),
});

/** A client tool (`type` absent or `custom`); server tools are marked and dropped. */
const CustomToolSchema = z.looseObject({
  type: z.literal('custom'),
  name: z.string(),
  description: z.string().nullish(),
  input_schema: z.record(z.string(), z.unknown()).nullish(),
  cache_control: CacheControlSchema.nullish(),
  strict: z.boolean().nullish(),
});

const ToolSchema = z.preprocess(
  toolKind,
  z.discriminatedUnion('type', [z.looseObject({ type: z.literal('server') }), CustomToolSchema]),
);

const ToolChoiceSchema = z.looseObject({
  type: z.enum(['auto', 'any', 'tool', 'none']),
  name: z.string().nullish(),
  disable_parallel_tool_use: z.boolean().nullish(),
});

const ThinkingSchema = z.looseObject({ type: z.string(), budget_tokens: z.number().nullish() });

const OutputConfigSchema = z.looseObject({
  effort: z.string().nullish(),
  format: z.looseObject({ type: z.string(), schema: z.record(z.string(), z.unknown()).nullish() }).nullish(),
});

export const AnthropicMessagesRequestSchema = z.looseObject({
  model: z.string(),
  max_tokens: z.number().nullish(),
  messages: z.array(MessageSchema),
  system: z.preprocess(textShorthand, z.array(TextBlockSchema)).optional(),
  tools: z.array(ToolSchema).nullish(),
  tool_choice: ToolChoiceSchema.nullish(),
  thinking: ThinkingSchema.nullish(),
  output_config: OutputConfigSchema.nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  top_k: z.number().nullish(),
  stop_sequences: z.array(z.string()).nullish(),
  stream: z.boolean().nullish(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
});

export type AnthropicMessagesRequest = z.infer<typeof AnthropicMessagesRequestSchema>;
export type AnthropicToolParam = z.infer<typeof ToolSchema>;
export type AnthropicCacheControl = z.infer<typeof CacheControlSchema>;

/** `"hi"` → `[{type:'text', text:'hi'}]`, so one array schema reports precise paths. */
function textShorthand(v: unknown): unknown {
  return typeof v === 'string' ? [{ type: 'text', text: v }] : v;
}

/** Rewrites a block of a type outside `known` as `{type:'unsupported'}`, keeping array indices for error paths. */
function markUnsupported(v: unknown, known: ReadonlySet<string>): unknown {
  if (!isRecord(v) || typeof v.type !== 'string' || known.has(v.type)) return v;
  return { type: 'unsupported' };
}

/** Marks a tool as `custom` (type absent) or `server` (any other type: web_search_*, bash_*, …). */
function toolKind(v: unknown): unknown {
  if (!isRecord(v)) return v;
  if (v.type === undefined || v.type === null) return { ...v, type: 'custom' };
  return v.type === 'custom' ? v : { type: 'server' };
}

// ---------------------------------------------------------------- requests the gateway writes upstream

export type AnthropicSourceOut =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string }
  | { type: 'text'; media_type: 'text/plain'; data: string };

export interface AnthropicTextBlockOut {
  type: 'text';
  text: string;
  cache_control?: WireCacheControl;
}

export interface AnthropicImageBlockOut {
  type: 'image';
  source: AnthropicSourceOut;
}

export interface AnthropicToolUseBlockOut {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface AnthropicThinkingBlockOut {
  type: 'thinking';
  thinking: string;
  signature: string;
}

export interface AnthropicRedactedThinkingBlockOut {
  type: 'redacted_thinking';
  data: string;
}

export type AnthropicRequestBlock =
  | AnthropicTextBlockOut
  | AnthropicImageBlockOut
  | { type: 'document'; source: AnthropicSourceOut; title?: string }
  | AnthropicToolUseBlockOut
  | {
      type: 'tool_result';
      tool_use_id: string;
      content: string | Array<AnthropicTextBlockOut | AnthropicImageBlockOut>;
      is_error?: true;
    }
  | AnthropicThinkingBlockOut
  | AnthropicRedactedThinkingBlockOut;

export interface AnthropicMessageParam {
  role: 'user' | 'assistant';
  content: AnthropicRequestBlock[];
}
