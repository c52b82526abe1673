/**
 * OpenAI Chat Completions request schemas (https://platform.openai.com/docs/api-reference/chat/create).
 * Client requests are validated loosely: unknown fields pass, wrong types fail naming the path.
 */
import { z } from 'zod';

const CacheControlSchema = z.looseObject({ type: z.literal('ephemeral'), ttl: z.string().optional() });

const TextPartSchema = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  /** Not OpenAI's, but proxies in front of Anthropic models accept it; kept for them. */
  cache_control: CacheControlSchema.nullish(),
});

const ImageUrlPartSchema = z.looseObject({
  type: z.literal('image_url'),
  // Some older clients send the URL as a bare string.
  image_url: z.union([z.string(), z.looseObject({ url: z.string(), detail: z.string().nullish() })]),
});

const FilePartSchema = z.looseObject({
  type: z.literal('file'),
  file: z.looseObject({
    file_data: z.string().nullish(),
    file_id: z.string().nullish(),
    filename: z.string().nullish(),
  }),
});

const AudioPartSchema = z.looseObject({ type: z.literal('input_audio') });
const RefusalPartSchema = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });

const SystemContentSchema = z.union([z.string(), z.array(TextPartSchema)]);
const ToolContentSchema = z.union([z.string(), z.array(z.discriminatedUnion('type', [TextPartSchema, ImageUrlPartSchema]))]);

const UserPartSchema = z.discriminatedUnion('type', [TextPartSchema, ImageUrlPartSchema, FilePartSchema, AudioPartSchema]);

export const ToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.string().nullish(),
  function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
});

const SystemMessageSchema = z.looseObject({ role: z.enum(['system', 'developer']), content: SystemContentSchema });
const UserMessageSchema = z.looseObject({ role: z.literal('user'), content: z.union([z.string(), z.array(UserPartSchema)]) });
const AssistantMessageSchema = z.looseObject({
  role: z.literal('assistant'),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [TextPartSchema, RefusalPartSchema]))]).nullish(),
  refusal: z.string().nullish(),
  /** DeepSeek-style reasoning text sent back with the history. */
  reasoning_content: z.string().nullish(),
  tool_calls: z.array(ToolCallSchema).nullish(),
  function_call: z.looseObject({ name: z.string(), arguments: z.string().nullish() }).nullish(),
});
const ToolMessageSchema = z.looseObject({ role: z.literal('tool'), tool_call_id: z.string(), content: ToolContentSchema });
const FunctionMessageSchema = z.looseObject({ role: z.literal('function'), name: z.string(), content: z.string().nullish() });

export const OpenAIChatMessageSchema = z.discriminatedUnion('role', [
  SystemMessageSchema,
  UserMessageSchema,
  AssistantMessageSchema,
  ToolMessageSchema,
  FunctionMessageSchema,
]);

const FunctionDefinitionSchema = z.looseObject({
  name: z.string(),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

/** Only `function` tools are understood; other types (custom, hosted) are dropped after validation. */
const ToolSchema = z.looseObject({ type: z.string(), function: FunctionDefinitionSchema.optional() });

const ToolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
  z.looseObject({ type: z.string() }),
]);

const LegacyFunctionCallSchema = z.union([z.enum(['auto', 'none']), z.looseObject({ name: z.string() })]);

export const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;

const ResponseFormatSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
      description: z.string().nullish(),
    }),
  }),
]);

const OptNumber = z.number().nullish();
const OptInt = z.number().int().nullish();

export const OpenAIChatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(OpenAIChatMessageSchema).min(1),
  tools: z.array(ToolSchema).nullish(),
  functions: z.array(FunctionDefinitionSchema).nullish(),
  tool_choice: ToolChoiceSchema.nullish(),
  function_call: LegacyFunctionCallSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_completion_tokens: OptInt,
  max_tokens: OptInt,
  temperature: OptNumber,
  top_p: OptNumber,
  n: OptInt,
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  presence_penalty: OptNumber,
  frequency_penalty: OptNumber,
  seed: OptInt,
  reasoning_effort: z.enum(EFFORTS).nullish(),
  /** Not OpenAI's: Anthropic-style thinking some clients send to OpenAI-compatible endpoints. */
  thinking: z.looseObject({ type: z.string(), budget_tokens: OptInt }).nullish(),
  response_format: ResponseFormatSchema.nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  user: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  service_tier: z.string().nullish(),
  store: z.boolean().nullish(),
  prompt_cache_key: z.string().nullish(),
});

export type OpenAIChatRequest = z.infer<typeof OpenAIChatRequestSchema>;
export type OpenAIChatMessage = z.infer<typeof OpenAIChatMessageSchema>;
export type OpenAIChatUserPart = z.infer<typeof UserPartSchema>;
export type OpenAIChatToolContent = z.infer<typeof ToolContentSchema>;
export type OpenAIChatFunctionDefinition = z.infer<typeof FunctionDefinitionSchema>;
export type OpenAIChatTextPart = z.infer<typeof TextPartSchema>;
