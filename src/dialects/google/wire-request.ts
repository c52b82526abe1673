/**
 * Gemini generateContent request shapes (https://ai.google.dev/api/generate-content#request-body).
 * Requests are validated with zod; proto JSON accepts snake_case field names too, so each
 * proto message is first renamed to lowerCamelCase (one level at a time, never inside
 * free-form structs such as `args`, `response` or a JSON schema).
 */
import { z } from 'zod';
import { isRecord } from '../../dialect-kit/json.js';

/** snake_case keys → lowerCamelCase on one object; null fields count as absent, as in proto JSON. */
export function camelizeKeys(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === null) continue;
    const camel = key.replace(/(?<=[a-z0-9])_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    if (camel !== key && camel in value) continue;
    out[camel] = field;
  }
  return out;
}

function proto<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.preprocess(camelizeKeys, z.looseObject(shape));
}

const struct = z.record(z.string(), z.unknown());

const blob = proto({ mimeType: z.string(), data: z.string() });
const fileData = proto({ mimeType: z.string().optional(), fileUri: z.string() });

const functionCall = proto({
  name: z.string(),
  args: struct.optional(),
  id: z.string().optional(),
});

const functionResponse = proto({
  name: z.string(),
  response: struct.optional(),
  id: z.string().optional(),
  /** Multimodal function responses (Gemini 3): media that travels with the result. */
  parts: z.array(proto({ inlineData: blob.optional() })).optional(),
});

const part = proto({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  inlineData: blob.optional(),
  fileData: fileData.optional(),
  functionCall: functionCall.optional(),
  functionResponse: functionResponse.optional(),
});

const content = proto({
  role: z.string().optional(),
  parts: z.array(part).optional(),
});

const functionDeclaration = proto({
  name: z.string(),
  description: z.string().optional(),
  parameters: struct.optional(),
  parametersJsonSchema: struct.optional(),
});

const tool = proto({ functionDeclarations: z.array(functionDeclaration).optional() });

const toolConfig = proto({
  functionCallingConfig: proto({
    mode: z.string().optional(),
    allowedFunctionNames: z.array(z.string()).optional(),
  }).optional(),
});

const thinkingConfig = proto({
  includeThoughts: z.boolean().optional(),
  thinkingBudget: z.number().int().optional(),
  thinkingLevel: z.string().optional(),
});

const generationConfig = proto({
  maxOutputTokens: z.number().int().optional(),
  temperature: z.number().optional(),
  topP: z.number().optional(),
  topK: z.number().optional(),
  stopSequences: z.array(z.string()).optional(),
  presencePenalty: z.number().optional(),
  frequencyPenalty: z.number().optional(),
  seed: z.number().int().optional(),
  responseMimeType: z.string().optional(),
  responseSchema: struct.optional(),
  responseJsonSchema: struct.optional(),
  thinkingConfig: thinkingConfig.optional(),
});

export const googleRequestSchema = proto({
  model: z.string().min(1),
  contents: z.array(content),
  systemInstruction: z.union([z.string(), content]).optional(),
  tools: z.array(tool).optional(),
  toolConfig: toolConfig.optional(),
  generationConfig: generationConfig.optional(),
  /** Non-standard flag older droid2api clients send; the route overrides it for :streamGenerateContent. */
  stream: z.boolean().optional(),
});

export type GoogleGenerateContentRequest = z.infer<typeof googleRequestSchema>;
export type GooglePart = z.infer<typeof part>;
export type GoogleFunctionResponse = z.infer<typeof functionResponse>;
export type GoogleGenerationConfig = z.infer<typeof generationConfig>;

/** A Part as the gateway writes it (lowerCamelCase only), in requests and answers alike. */
export interface GooglePartOut {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType: string; fileUri: string };
  functionCall?: { name: string; args: Record<string, unknown>; id?: string };
  functionResponse?: { name: string; response: Record<string, unknown> };
}

export interface GoogleContentOut {
  role: 'user' | 'model';
  parts: GooglePartOut[];
}
