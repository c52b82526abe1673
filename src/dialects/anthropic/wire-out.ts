/**
 * Anthropic Messages shapes the gateway writes: request blocks for an upstream
 * (https://docs.anthropic.com/en/api/messages#body-messages) and the response and stream
 * objects for a client (https://docs.anthropic.com/en/api/messages-streaming).
 */
import type { AnthropicStopReason } from './maps.js';

export interface AnthropicCacheControlOut {
  type: 'ephemeral';
  ttl?: string;
}

export type AnthropicSourceOut =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string }
  | { type: 'text'; media_type: 'text/plain'; data: string };

export interface AnthropicTextBlockOut {
  type: 'text';
  text: string;
  cache_control?: AnthropicCacheControlOut;
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
