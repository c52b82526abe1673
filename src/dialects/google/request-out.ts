/**
 * IR → the generateContent body Factory's /api/llm/g/v1/generate takes: the Gemini request
 * (https://ai.google.dev/api/generate-content#request-body) plus a top-level `model`.
 * There is no `stream` field: Gemini rejects unknown fields and Factory always streams.
 */
import type { WireObject } from '../dialect.js';
import { assertNever, type IrMessage, type IrPart, type IrReasoning, type IrRequest, type IrTool, type IrToolChoice } from '../ir.js';
import { argumentsObject } from '../../dialect-kit/json.js';
import { mediaTypeFromUrl, sourceFromUrl } from '../../dialect-kit/media.js';
import { LEVEL_FROM_EFFORT, MODE_FROM_CHOICE } from './maps.js';
import { SchemaBudget, toolLabel } from '../../dialect-kit/schema-budget.js';
import { cleanSchema } from '../../dialect-kit/openapi-schema.js';
import { freeformToolParameters } from '../../dialect-kit/freeform-tool.js';
import type { GoogleContentOut, GooglePartOut } from './wire-request.js';

/**
 * The documented stand-in for a missing thought signature: Gemini 3 answers 400 to a
 * function call in the history without one, and this value skips the check
 * (https://ai.google.dev/gemini-api/docs/thought-signatures#faqs).
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/** Gemini takes at most five stop sequences (https://ai.google.dev/api/generate-content#GenerationConfig). */
const MAX_STOP_SEQUENCES = 5;

export function buildGoogleRequest(ir: IrRequest, model: string): WireObject {
  const body: WireObject = { model, contents: buildContents(ir.messages) };
  const system = ir.system.filter((b) => b.text !== '').map((b) => ({ text: b.text }));
  if (system.length > 0) body.systemInstruction = { parts: system };
  // Every schema of the request shares one budget: inlining `$ref`s can multiply a schema.
  const budget = new SchemaBudget();
  if (ir.tools.length > 0) {
    body.tools = [{ functionDeclarations: ir.tools.map((tool) => buildDeclaration(tool, budget)) }];
    if (ir.toolChoice) body.toolConfig = buildToolConfig(ir.toolChoice);
  }
  const gen = buildGenerationConfig(ir, budget);
  if (Object.keys(gen).length > 0) body.generationConfig = gen;
  return body;
}

/** Messages → contents; consecutive same-role contents are merged, since Gemini expects turns to alternate. */
function buildContents(messages: IrMessage[]): GoogleContentOut[] {
  const names = new Map<string, string>();
  for (const m of messages) for (const p of m.parts) if (p.kind === 'tool_call') names.set(p.id, p.name);
  const out: GoogleContentOut[] = [];
  for (const m of messages) {
    const parts = m.parts.flatMap((p) => buildPart(p, names));
    if (parts.length === 0) continue;
    const role = m.role === 'assistant' ? 'model' : 'user';
    const last = out.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else out.push({ role, parts });
  }
  return out;
}

function buildPart(part: IrPart, names: Map<string, string>): GooglePartOut[] {
  switch (part.kind) {
    case 'text':
      // Gemini rejects an empty text part.
      return part.text === '' ? [] : [{ text: part.text }];
    case 'image':
    case 'file':
      return [mediaPart(part.source.type === 'url' ? sourceFromUrl(part.source.url) : part.source)];
    case 'tool_call':
      return [
        {
          functionCall: { name: part.name, args: argumentsObject(part.arguments) },
          thoughtSignature: part.signature ?? SKIP_THOUGHT_SIGNATURE,
        },
      ];
    case 'tool_result': {
      const text = part.content.flatMap((c) => (c.kind === 'text' ? [c.text] : [])).join('\n');
      const name = names.get(part.callId) ?? part.name ?? part.callId;
      const response = part.isError ? { error: text } : { result: text };
      const images = part.content.flatMap((c) => (c.kind === 'image' ? [mediaPart(c.source)] : []));
      return [{ functionResponse: { name, response } }, ...images];
    }
    case 'thinking':
      // Thought text is never sent back (the Droid CLI does not either); signatures ride on function calls.
      return [];
    default:
      return assertNever(part);
  }
}

function mediaPart(source: ReturnType<typeof sourceFromUrl>): GooglePartOut {
  if (source.type === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  return { fileData: { mimeType: mediaTypeFromUrl(source.url), fileUri: source.url } };
}

/** Freeform (custom) tools become a function taking the raw text as `input`. */
function buildDeclaration(tool: IrTool, budget: SchemaBudget): WireObject {
  const decl: WireObject = { name: tool.name };
  if (tool.description !== undefined) decl.description = tool.description;
  const params = tool.custom
    ? freeformToolParameters()
    : budget.within(toolLabel(tool.name), 'tools', () => cleanSchema(tool.parameters, budget));
  // A function without arguments is declared without `parameters`: Gemini rejects an OBJECT with empty properties.
  if (params.properties !== undefined || params.anyOf !== undefined) decl.parameters = params;
  return decl;
}

function buildToolConfig(choice: IrToolChoice): WireObject {
  const config: WireObject = { mode: MODE_FROM_CHOICE[choice.type] };
  if (choice.type === 'tool') config.allowedFunctionNames = [choice.name];
  return { functionCallingConfig: config };
}

function buildGenerationConfig(ir: IrRequest, budget: SchemaBudget): WireObject {
  const gen: WireObject = {};
  if (ir.maxTokens !== undefined) gen.maxOutputTokens = ir.maxTokens;
  if (ir.temperature !== undefined) gen.temperature = ir.temperature;
  if (ir.topP !== undefined) gen.topP = ir.topP;
  if (ir.topK !== undefined) gen.topK = ir.topK;
  if (ir.stop !== undefined && ir.stop.length > 0) gen.stopSequences = ir.stop.slice(0, MAX_STOP_SEQUENCES);
  if (ir.presencePenalty !== undefined) gen.presencePenalty = ir.presencePenalty;
  if (ir.frequencyPenalty !== undefined) gen.frequencyPenalty = ir.frequencyPenalty;
  if (ir.seed !== undefined) gen.seed = ir.seed;
  const format = ir.responseFormat;
  if (format?.type === 'json_object' || format?.type === 'json_schema') gen.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    gen.responseSchema = budget.within('response_format', 'response_format', () => cleanSchema(format.schema, budget));
  }
  const thinking = buildThinkingConfig(ir.reasoning);
  if (thinking) gen.thinkingConfig = thinking;
  return gen;
}

/** ThinkingConfig (https://ai.google.dev/api/generate-content#ThinkingConfig): a level, else a budget; never both (Gemini 3 rejects that). */
function buildThinkingConfig(reasoning: IrReasoning | undefined): WireObject | undefined {
  if (!reasoning?.enabled || reasoning.effort === 'none') return undefined;
  if (reasoning.effort !== undefined) return { includeThoughts: true, thinkingLevel: LEVEL_FROM_EFFORT[reasoning.effort] };
  if (reasoning.budgetTokens !== undefined) return { includeThoughts: true, thinkingBudget: reasoning.budgetTokens };
  return { includeThoughts: true };
}
