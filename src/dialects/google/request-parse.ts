/** Gemini generateContent request → IR (https://ai.google.dev/api/generate-content#request-body). */
import type {
  IrMessage,
  IrPart,
  IrReasoning,
  IrRequest,
  IrResponseFormat,
  IrSystemBlock,
  IrTool,
  IrToolChoice,
} from '../ir.js';
import { parseBody } from '../shared/validate.js';
import { SchemaBudget, toolLabel } from '../shared/schema-budget.js';
import { jsonSchemaFromGoogle } from './schema.js';
import { CHOICE_FROM_MODE, EFFORT_FROM_LEVEL, irRole } from './maps.js';
import { parseContentParts, ToolCallLedger } from './request-parts.js';
import {
  googleRequestSchema,
  type GoogleGenerateContentRequest,
  type GoogleGenerationConfig,
} from './wire.js';

export function parseGoogleRequest(body: unknown): IrRequest {
  const req = parseBody(googleRequestSchema, body);
  const gen = req.generationConfig;
  const ir: IrRequest = {
    model: req.model.replace(/^models\//, ''),
    system: parseSystem(req.systemInstruction),
    messages: parseMessages(req.contents),
    tools: parseTools(req.tools),
    stream: req.stream === true,
    extensions: {},
  };
  const toolChoice = parseToolChoice(req.toolConfig);
  if (toolChoice) ir.toolChoice = toolChoice;
  if (gen) applyGenerationConfig(ir, gen);
  return ir;
}

function parseSystem(sys: GoogleGenerateContentRequest['systemInstruction']): IrSystemBlock[] {
  if (sys === undefined) return [];
  if (typeof sys === 'string') return sys === '' ? [] : [{ text: sys }];
  return (sys.parts ?? []).flatMap((p) => (typeof p.text === 'string' && p.text !== '' ? [{ text: p.text }] : []));
}

function parseMessages(contents: GoogleGenerateContentRequest['contents']): IrMessage[] {
  const ledger = new ToolCallLedger();
  const messages: IrMessage[] = [];
  contents.forEach((content, turn) => {
    const parts: IrPart[] = parseContentParts(content.parts ?? [], turn, ledger);
    if (parts.length > 0) messages.push({ role: irRole(content.role), parts });
  });
  return messages;
}

/** Function declarations only: Gemini's built-in tools (googleSearch, codeExecution, urlContext…) have no IR form. */
function parseTools(tools: GoogleGenerateContentRequest['tools']): IrTool[] {
  const budget = new SchemaBudget();
  const convert = (name: string, schema: object) =>
    budget.within(toolLabel(name), 'tools', () => jsonSchemaFromGoogle(schema, budget));
  return (tools ?? []).flatMap((t) =>
    (t.functionDeclarations ?? []).map((fd) => {
      const tool: IrTool = {
        name: fd.name,
        parameters: fd.parametersJsonSchema ?? (fd.parameters ? convert(fd.name, fd.parameters) : { type: 'object', properties: {} }),
      };
      if (fd.description !== undefined) tool.description = fd.description;
      return tool;
    }),
  );
}

function parseToolChoice(config: GoogleGenerateContentRequest['toolConfig']): IrToolChoice | undefined {
  const fcc = config?.functionCallingConfig;
  const type = fcc?.mode ? CHOICE_FROM_MODE[fcc.mode.toUpperCase()] : undefined;
  if (type === undefined) return undefined;
  const names = fcc?.allowedFunctionNames ?? [];
  if (type === 'required' && names.length === 1 && names[0] !== undefined) return { type: 'tool', name: names[0] };
  if (type === 'tool') return undefined;
  return { type };
}

function applyGenerationConfig(ir: IrRequest, gen: GoogleGenerationConfig): void {
  if (gen.maxOutputTokens !== undefined) ir.maxTokens = gen.maxOutputTokens;
  if (gen.temperature !== undefined) ir.temperature = gen.temperature;
  if (gen.topP !== undefined) ir.topP = gen.topP;
  if (gen.topK !== undefined) ir.topK = gen.topK;
  if (gen.stopSequences !== undefined && gen.stopSequences.length > 0) ir.stop = gen.stopSequences;
  if (gen.presencePenalty !== undefined) ir.presencePenalty = gen.presencePenalty;
  if (gen.frequencyPenalty !== undefined) ir.frequencyPenalty = gen.frequencyPenalty;
  if (gen.seed !== undefined) ir.seed = gen.seed;
  const format = parseResponseFormat(gen);
  if (format) ir.responseFormat = format;
  const reasoning = parseReasoning(gen.thinkingConfig);
  if (reasoning) ir.reasoning = reasoning;
}

function parseResponseFormat(gen: GoogleGenerationConfig): IrResponseFormat | undefined {
  if (gen.responseMimeType !== 'application/json') return undefined;
  const budget = new SchemaBudget();
  const convert = (schema: object) => budget.within('responseSchema', 'generationConfig.responseSchema', () => jsonSchemaFromGoogle(schema, budget));
  const schema = gen.responseJsonSchema ?? (gen.responseSchema ? convert(gen.responseSchema) : undefined);
  return schema ? { type: 'json_schema', name: 'response', schema } : { type: 'json_object' };
}

/**
 * ThinkingConfig (https://ai.google.dev/api/generate-content#ThinkingConfig): a budget of 0
 * turns thinking off, -1 means dynamic (on, no budget), a level maps to an effort.
 */
function parseReasoning(tc: GoogleGenerationConfig['thinkingConfig']): IrReasoning | undefined {
  if (!tc) return undefined;
  if (tc.thinkingBudget === 0) return { enabled: false };
  const effort = tc.thinkingLevel ? EFFORT_FROM_LEVEL[tc.thinkingLevel.toUpperCase()] : undefined;
  const budget = tc.thinkingBudget !== undefined && tc.thinkingBudget > 0 ? tc.thinkingBudget : undefined;
  if (effort === undefined && budget === undefined && tc.thinkingBudget === undefined && tc.includeThoughts !== true) {
    return undefined;
  }
  const reasoning: IrReasoning = { enabled: true };
  if (effort) reasoning.effort = effort;
  if (budget !== undefined) reasoning.budgetTokens = budget;
  return reasoning;
}
