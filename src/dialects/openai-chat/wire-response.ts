/**
 * OpenAI Chat Completions answers (https://platform.openai.com/docs/api-reference/chat/object):
 * an upstream's chunks and completions are foreign data, so they go through a schema before use.
 */
import { z } from 'zod';
import { ToolCallSchema } from './wire-request.js';

export const OpenAIChatUsageSchema = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  total_tokens: z.number().nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
});

const ChunkToolCallSchema = z.looseObject({
  index: z.number().nullish(),
  id: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

const ChunkChoiceSchema = z.looseObject({
  index: z.number().nullish(),
  delta: z
    .looseObject({
      content: z.string().nullish(),
      reasoning_content: z.string().nullish(),
      reasoning: z.string().nullish(),
      tool_calls: z.array(ChunkToolCallSchema).nullish(),
    })
    .nullish(),
  finish_reason: z.string().nullish(),
});

export const OpenAIChatErrorSchema = z.looseObject({
  message: z.string().nullish(),
  type: z.string().nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
  status: z.number().nullish(),
});

export const OpenAIChatChunkSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z.array(ChunkChoiceSchema).nullish(),
  usage: OpenAIChatUsageSchema.nullish(),
  error: OpenAIChatErrorSchema.nullish(),
});

export const OpenAIChatCompletionSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        message: z
          .looseObject({
            content: z.string().nullish(),
            refusal: z.string().nullish(),
            reasoning_content: z.string().nullish(),
            reasoning: z.string().nullish(),
            tool_calls: z.array(ToolCallSchema).nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: OpenAIChatUsageSchema.nullish(),
  error: OpenAIChatErrorSchema.nullish(),
});

export type OpenAIChatUsage = z.infer<typeof OpenAIChatUsageSchema>;
export type OpenAIChatChunk = z.infer<typeof OpenAIChatChunkSchema>;
export type OpenAIChatUpstreamError = z.infer<typeof OpenAIChatErrorSchema>;
export type OpenAIChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';
