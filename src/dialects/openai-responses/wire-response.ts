/**
 * Responses answers as the gateway writes them (and reads them back when a client replays
 * its history): output items and usage.
 * Spec: https://platform.openai.com/docs/api-reference/responses/object
 */

export interface ResponsesOutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs: unknown[];
}

export interface ResponsesSummaryText {
  type: 'summary_text';
  text: string;
}

export type ResponsesItemStatus = 'in_progress' | 'completed' | 'incomplete';

export interface ResponsesMessageOutput {
  id: string;
  type: 'message';
  status: ResponsesItemStatus;
  role: 'assistant';
  content: ResponsesOutputText[];
}

export interface ResponsesReasoningOutput {
  id: string;
  type: 'reasoning';
  summary: ResponsesSummaryText[];
  encrypted_content?: string;
}

export interface ResponsesFunctionCallOutput {
  id: string;
  type: 'function_call';
  status: ResponsesItemStatus;
  call_id: string;
  name: string;
  namespace?: string;
  arguments: string;
}

export interface ResponsesCustomToolCallOutput {
  id: string;
  type: 'custom_tool_call';
  status: ResponsesItemStatus;
  call_id: string;
  name: string;
  namespace?: string;
  input: string;
}

export type ResponsesOutputItem =
  | ResponsesMessageOutput
  | ResponsesReasoningOutput
  | ResponsesFunctionCallOutput
  | ResponsesCustomToolCallOutput;

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}
