/**
 * Anthropic answers: stream events (https://docs.anthropic.com/en/api/messages-streaming)
 * and the non-stream Message (https://docs.anthropic.com/en/api/messages#response). An
 * upstream's are foreign data, so each event goes through a schema once (fields the gateway
 * does not read pass); the ones the gateway writes for a client are plain types.
 */
import { z } from 'zod';
import type { AnthropicStopReason } from './maps.js';
import type { AnthropicRedactedThinkingBlockOut, AnthropicThinkingBlockOut, AnthropicToolUseBlockOut } from './wire-request.js';

export const AnthropicUsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  output_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
});

export type AnthropicUsage = z.infer<typeof AnthropicUsageSchema>;

/** Any content block; which fields matter depends on `type`. */
const ContentBlockSchema = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
  thinking: z.string().nullish(),
  signature: z.string().nullish(),
  data: z.string().nullish(),
  id: z.string().nullish(),
  name: z.string().nullish(),
  input: z.unknown().optional(),
});

export type AnthropicContentBlock = z.infer<typeof ContentBlockSchema>;

const DeltaSchema = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
  thinking: z.string().nullish(),
  signature: z.string().nullish(),
  partial_json: z.string().nullish(),
});

const ErrorObjectSchema = z.looseObject({ type: z.string().nullish(), message: z.string().nullish() });

export const AnthropicStreamEventSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('message_start'),
    message: z.looseObject({ id: z.string().nullish(), model: z.string().nullish(), usage: AnthropicUsageSchema.nullish() }),
  }),
  z.looseObject({ type: z.literal('content_block_start'), index: z.number(), content_block: ContentBlockSchema }),
  z.looseObject({ type: z.literal('content_block_delta'), index: z.number(), delta: DeltaSchema }),
  z.looseObject({ type: z.literal('content_block_stop'), index: z.number() }),
  z.looseObject({
    type: z.literal('message_delta'),
    delta: z.looseObject({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }),
    usage: AnthropicUsageSchema.nullish(),
  }),
  z.looseObject({ type: z.literal('message_stop') }),
  z.looseObject({ type: z.literal('ping') }),
  z.looseObject({ type: z.literal('error'), error: ErrorObjectSchema.nullish() }),
]);

export type AnthropicStreamEvent = z.infer<typeof AnthropicStreamEventSchema>;

/** Event types the schema knows; anything newer is skipped rather than failed. */
export const KNOWN_STREAM_EVENTS: ReadonlySet<string> = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
  'error',
]);

export const AnthropicMessageSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  content: z.array(ContentBlockSchema),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: AnthropicUsageSchema.nullish(),
});

export const AnthropicErrorResponseSchema = z.looseObject({ type: z.literal('error'), error: ErrorObjectSchema.nullish() });

// ---------------------------------------------------------------- answers the gateway writes to a client

/** A response content block as a client sees it. */
export type AnthropicResponseBlock =
  | { type: 'text'; text: string }
  | AnthropicThinkingBlockOut
  | AnthropicRedactedThinkingBlockOut
  | AnthropicToolUseBlockOut;

export interface AnthropicUsageOut {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface AnthropicMessageOut {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsageOut;
}
