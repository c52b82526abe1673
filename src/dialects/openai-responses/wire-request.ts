/**
 * OpenAI Responses requests: zod schemas for what clients send.
 * Spec: https://platform.openai.com/docs/api-reference/responses/create
 * Schemas are loose objects: real clients (Codex CLI, the SDK) send fields we do not model,
 * and those must not fail validation.
 */
import { z } from 'zod';

const JsonObject = z.record(z.string(), z.unknown());

/** Items and tools are validated one by one (see request-in.ts) so errors name their index. */
const LooseEntry = z.looseObject({ type: z.string().optional() });

export const ResponsesRequestSchema = z.looseObject({
  model: z.string(),
  input: z.union([z.string(), z.array(LooseEntry)]).nullish(),
  instructions: z.string().nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z
    .union([z.enum(['auto', 'none', 'required']), z.looseObject({ type: z.string(), name: z.string().optional(), namespace: z.string().optional() })])
    .nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.number().int().nonnegative().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  reasoning: z.looseObject({ effort: z.string().nullish(), summary: z.string().nullish() }).nullish(),
  text: z.looseObject({ format: z.looseObject({ type: z.string() }).nullish() }).nullish(),
  stream: z.boolean().nullish(),
  store: z.boolean().nullish(),
  include: z.array(z.string()).nullish(),
  prompt_cache_key: z.string().nullish(),
  previous_response_id: z.string().nullish(),
  service_tier: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
});
export type ResponsesRequest = z.infer<typeof ResponsesRequestSchema>;

/** One content part of a message or tool output; unknown part types are dropped by the parser. */
export const ResponsesContentPartSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  refusal: z.string().optional(),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.string().nullish(),
  file_data: z.string().nullish(),
  file_url: z.string().nullish(),
  filename: z.string().nullish(),
});
export type ResponsesContentPart = z.infer<typeof ResponsesContentPartSchema>;

const Content = z.union([z.string(), z.array(ResponsesContentPartSchema)]);

export const ResponsesMessageItemSchema = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: Content,
});

export const ResponsesFunctionCallItemSchema = z.looseObject({
  call_id: z.string(),
  name: z.string(),
  namespace: z.string().nullish(),
  arguments: z.string(),
});

export const ResponsesCustomToolCallItemSchema = z.looseObject({
  call_id: z.string(),
  name: z.string(),
  namespace: z.string().nullish(),
  input: z.string(),
});

/** function_call_output and custom_tool_call_output share this shape. */
export const ResponsesCallOutputItemSchema = z.looseObject({
  call_id: z.string(),
  output: Content,
});

const TextPart = z.looseObject({ type: z.string(), text: z.string() });

export const ResponsesReasoningItemSchema = z.looseObject({
  id: z.string().nullish(),
  summary: z.array(TextPart).nullish(),
  content: z.array(TextPart).nullish(),
  encrypted_content: z.string().nullish(),
});

export const ResponsesFunctionToolSchema = z.looseObject({
  name: z.string(),
  description: z.string().nullish(),
  parameters: JsonObject.nullish(),
  strict: z.boolean().nullish(),
});

export const ResponsesCustomToolSchema = z.looseObject({
  name: z.string(),
  description: z.string().nullish(),
  format: JsonObject.nullish(),
});

/** Function and custom tools grouped under a name (https://platform.openai.com/docs/guides/function-calling#defining-namespaces). */
export const ResponsesNamespaceToolSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().nullish(),
  tools: z.array(z.looseObject({ type: z.string() })),
});

export const ResponsesJsonSchemaFormatSchema = z.looseObject({
  name: z.string(),
  schema: JsonObject,
  strict: z.boolean().nullish(),
  description: z.string().nullish(),
});
