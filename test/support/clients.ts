import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI, ThinkingLevel, type Content, type GenerateContentResponse } from '@google/genai';
import OpenAI from 'openai';
import type { DialectId } from '../../src/dialects/ir.js';

/** What any client got back, in one comparable shape. */
export interface Answer {
  text: string;
  thinking: string;
  toolCalls: Array<{ id: string; name: string; args: Record<string, unknown> }>;
  /** The client dialect's own finish value (stop, end_turn, STOP, completed …). */
  finish: string;
  outputTokens: number;
  inputTokens: number;
  /** What must be sent back to continue after tool calls, in the client's dialect. */
  history: unknown[];
}

export interface AskOptions {
  model: string;
  stream: boolean;
  prompt: string;
  tools?: boolean;
  reasoning?: boolean;
  /** Continue after `previous`: send the tool result for each of its calls. */
  previous?: Answer;
  toolResult?: string;
}

export interface ClientAdapter {
  dialect: DialectId;
  ask(o: AskOptions): Promise<Answer>;
}

const WEATHER_SCHEMA = {
  type: 'object' as const,
  properties: { city: { type: 'string', description: 'City name' } },
  required: ['city'],
};

const parseArgs = (s: string): Record<string, unknown> => (s ? (JSON.parse(s) as Record<string, unknown>) : {});

export function chatClient(baseURL: string): ClientAdapter {
  const client = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: 'client-key', maxRetries: 0 });
  return {
    dialect: 'openai-chat',
    async ask(o) {
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = o.previous
        ? [...(o.previous.history as OpenAI.Chat.ChatCompletionMessageParam[])]
        : [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: o.prompt }];
      if (o.previous) {
        for (const c of o.previous.toolCalls) messages.push({ role: 'tool', tool_call_id: c.id, content: o.toolResult ?? '' });
      }
      const params = {
        model: o.model,
        messages,
        ...(o.tools ? { tools: [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather', parameters: WEATHER_SCHEMA } }] } : {}),
        ...(o.reasoning ? { reasoning_effort: 'high' as const } : {}),
      };
      let msg: OpenAI.Chat.ChatCompletionMessage & { reasoning_content?: string };
      let finish: string;
      let usage: OpenAI.CompletionUsage | undefined;
      let thinking = '';
      if (o.stream) {
        const stream = client.chat.completions.stream({ ...params, stream: true, stream_options: { include_usage: true } });
        stream.on('chunk', (chunk) => {
          const delta = chunk.choices[0]?.delta as { reasoning_content?: string } | undefined;
          thinking += delta?.reasoning_content ?? '';
        });
        const done = await stream.finalChatCompletion();
        msg = done.choices[0]!.message;
        finish = done.choices[0]!.finish_reason;
        usage = done.usage;
      } else {
        const done = await client.chat.completions.create(params);
        msg = done.choices[0]!.message;
        finish = done.choices[0]!.finish_reason;
        usage = done.usage;
        thinking = msg.reasoning_content ?? '';
      }
      const toolCalls = (msg.tool_calls ?? []).flatMap((c) =>
        c.type === 'function' ? [{ id: c.id, name: c.function.name, args: parseArgs(c.function.arguments) }] : [],
      );
      const assistant: OpenAI.Chat.ChatCompletionAssistantMessageParam = { role: 'assistant', content: msg.content ?? null };
      if (msg.tool_calls?.length) assistant.tool_calls = msg.tool_calls;
      return {
        text: msg.content ?? '',
        thinking,
        toolCalls,
        finish,
        outputTokens: usage?.completion_tokens ?? -1,
        inputTokens: usage?.prompt_tokens ?? -1,
        history: [...messages, assistant],
      };
    },
  };
}

export function responsesClient(baseURL: string): ClientAdapter {
  const client = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: 'client-key', maxRetries: 0 });
  return {
    dialect: 'openai-responses',
    async ask(o) {
      const input: OpenAI.Responses.ResponseInputItem[] = o.previous
        ? [...(o.previous.history as OpenAI.Responses.ResponseInputItem[])]
        : [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: o.prompt }];
      if (o.previous) {
        for (const c of o.previous.toolCalls) input.push({ type: 'function_call_output', call_id: c.id, output: o.toolResult ?? '' });
      }
      const params = {
        model: o.model,
        input,
        store: false,
        ...(o.tools ? { tools: [{ type: 'function' as const, name: 'get_weather', description: 'Weather', parameters: WEATHER_SCHEMA, strict: false }] } : {}),
        ...(o.reasoning ? { reasoning: { effort: 'high' as const, summary: 'auto' as const } } : {}),
      };
      const res = o.stream ? await client.responses.stream(params).finalResponse() : await client.responses.create(params);
      const toolCalls: Answer['toolCalls'] = [];
      let thinking = '';
      for (const item of res.output) {
        if (item.type === 'function_call') toolCalls.push({ id: item.call_id, name: item.name, args: parseArgs(item.arguments) });
        if (item.type === 'reasoning') thinking += item.summary.map((s) => s.text).join('');
      }
      return {
        text: res.output_text,
        thinking,
        toolCalls,
        finish: res.status ?? '',
        outputTokens: res.usage?.output_tokens ?? -1,
        inputTokens: res.usage?.input_tokens ?? -1,
        history: [...input, ...(res.output as OpenAI.Responses.ResponseInputItem[])],
      };
    },
  };
}

export function anthropicClient(baseURL: string): ClientAdapter {
  const client = new Anthropic({ baseURL, apiKey: 'client-key', maxRetries: 0 });
  return {
    dialect: 'anthropic',
    async ask(o) {
      const messages: Anthropic.MessageParam[] = o.previous
        ? [...(o.previous.history as Anthropic.MessageParam[])]
        : [{ role: 'user', content: o.prompt }];
      if (o.previous) {
        messages.push({
          role: 'user',
          content: o.previous.toolCalls.map((c) => ({ type: 'tool_result' as const, tool_use_id: c.id, content: o.toolResult ?? '' })),
        });
      }
      const params = {
        model: o.model,
        max_tokens: 2048,
        system: 'Be brief.',
        messages,
        ...(o.tools ? { tools: [{ name: 'get_weather', description: 'Weather', input_schema: WEATHER_SCHEMA }] } : {}),
        ...(o.reasoning ? { thinking: { type: 'enabled' as const, budget_tokens: 1024 } } : {}),
      };
      const msg = o.stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
      const toolCalls: Answer['toolCalls'] = [];
      let text = '';
      let thinking = '';
      for (const block of msg.content) {
        if (block.type === 'text') text += block.text;
        if (block.type === 'thinking') thinking += block.thinking;
        if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, args: block.input as Record<string, unknown> });
      }
      return {
        text,
        thinking,
        toolCalls,
        finish: msg.stop_reason ?? '',
        outputTokens: msg.usage.output_tokens,
        inputTokens: msg.usage.input_tokens + (msg.usage.cache_read_input_tokens ?? 0),
        history: [...messages, { role: 'assistant', content: msg.content }],
      };
    },
  };
}

interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { name?: string; args?: Record<string, unknown>; id?: string };
}

/** The official Gemini SDK (@google/genai) on the Gemini REST paths of the gateway. */
export function geminiClient(baseURL: string): ClientAdapter {
  const ai = new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl: baseURL } });
  return {
    dialect: 'google',
    async ask(o) {
      const contents: Content[] = o.previous ? [...(o.previous.history as Content[])] : [{ role: 'user', parts: [{ text: o.prompt }] }];
      if (o.previous) {
        contents.push({
          role: 'user',
          parts: o.previous.toolCalls.map((c) => ({ functionResponse: { name: c.name, response: { result: o.toolResult ?? '' } } })),
        });
      }
      const config = {
        systemInstruction: 'Be brief.',
        ...(o.tools ? { tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather', parametersJsonSchema: WEATHER_SCHEMA }] }] } : {}),
        ...(o.reasoning ? { thinkingConfig: { includeThoughts: true, thinkingLevel: ThinkingLevel.HIGH } } : {}),
      };
      const chunks: GenerateContentResponse[] = [];
      if (o.stream) {
        for await (const chunk of await ai.models.generateContentStream({ model: o.model, contents, config })) chunks.push(chunk);
      } else {
        chunks.push(await ai.models.generateContent({ model: o.model, contents, config }));
      }
      const parts: GeminiPart[] = [];
      let finish = '';
      let usage: GenerateContentResponse['usageMetadata'] = {};
      for (const c of chunks) {
        parts.push(...((c.candidates?.[0]?.content?.parts ?? []) as GeminiPart[]));
        finish = c.candidates?.[0]?.finishReason ?? finish;
        if (c.usageMetadata) usage = c.usageMetadata;
      }
      const toolCalls = parts.flatMap((p, i) =>
        p.functionCall ? [{ id: p.functionCall.id ?? `g${i}`, name: p.functionCall.name ?? '', args: p.functionCall.args ?? {} }] : [],
      );
      return {
        text: parts.filter((p) => !p.thought && p.text).map((p) => p.text).join(''),
        thinking: parts.filter((p) => p.thought && p.text).map((p) => p.text).join(''),
        toolCalls,
        finish,
        outputTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
        inputTokens: usage?.promptTokenCount ?? -1,
        history: [...contents, { role: 'model', parts: parts.filter((p) => !p.thought || p.thoughtSignature) }],
      };
    },
  };
}
