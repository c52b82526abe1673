/** Gemini generateContent request → IR (https://ai.google.dev/api/generate-content#request-body). */
import type { IrImagePart, IrImageSource, IrMessage, IrPart, IrReasoning, IrRequest, IrResponseFormat, IrSystemBlock, IrTextPart, IrTool, IrToolChoice, IrToolResultPart } from '../ir.js';
import { parseBody } from '../../dialect-kit/validate.js';
import { SchemaBudget, toolLabel } from '../../dialect-kit/schema-budget.js';
import { jsonSchemaFromGoogle } from '../../dialect-kit/openapi-schema.js';
import { mediaTypeFromUrl } from '../../dialect-kit/media.js';
import { CHOICE_FROM_MODE, EFFORT_FROM_LEVEL, irRole } from './maps.js';
import {
  googleRequestSchema,
  type GoogleFunctionResponse,
  type GoogleGenerateContentRequest,
  type GoogleGenerationConfig,
  type GooglePart,
} from './wire-request.js';

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

/**
 * Pairs function responses with the calls they answer. Gemini ids are optional, so a
 * response without one answers the earliest unanswered call of the same name, which is
 * how Gemini itself matches them.
 */
class ToolCallLedger {
  readonly #open: Array<{ id: string; name: string }> = [];

  call(id: string, name: string): void {
    this.#open.push({ id, name });
  }

  /**
   * The call id a response answers: the call with its id, else the earliest open call of
   * its name (clients often echo no id, or one for a call that carried none); undefined
   * when nothing matches and the response has no id of its own.
   */
  answer(name: string, id: string | undefined): string | undefined {
    let at = id === undefined ? -1 : this.#open.findIndex((c) => c.id === id);
    if (at === -1) at = this.#open.findIndex((c) => c.name === name);
    if (at === -1) return id;
    return this.#open.splice(at, 1)[0]?.id;
  }
}

/** One content's parts → IR parts; generated ids are `call_<turn>_<n>` so the same body always gives the same ids. */
function parseContentParts(parts: GooglePart[], turn: number, ledger: ToolCallLedger): IrPart[] {
  const out: IrPart[] = [];
  let n = 0;
  for (const part of parts) {
    if (part.functionCall) {
      const fc = part.functionCall;
      const id = fc.id ?? `call_${turn}_${n++}`;
      ledger.call(id, fc.name);
      out.push({
        kind: 'tool_call',
        id,
        name: fc.name,
        arguments: JSON.stringify(fc.args ?? {}),
        ...(part.thoughtSignature !== undefined && { signature: part.thoughtSignature }),
      });
    } else if (part.functionResponse) {
      const callId = ledger.answer(part.functionResponse.name, part.functionResponse.id) ?? `call_${turn}_${n++}`;
      out.push(toolResult(part.functionResponse, callId));
    } else if (part.inlineData) {
      const { mimeType, data } = part.inlineData;
      out.push(mediaPart(mimeType, { type: 'base64', mediaType: mimeType, data }));
    } else if (part.fileData) {
      const { fileUri } = part.fileData;
      out.push(mediaPart(part.fileData.mimeType ?? mediaTypeFromUrl(fileUri), { type: 'url', url: fileUri }));
    } else if (part.thought === true && part.text !== undefined) {
      out.push({
        kind: 'thinking',
        text: part.text,
        ...(part.thoughtSignature !== undefined && { signature: part.thoughtSignature }),
      });
    } else if (part.text !== undefined && part.text !== '') {
      out.push({ kind: 'text', text: part.text });
    }
    // executableCode, codeExecutionResult and other built-in tool parts have no IR form.
  }
  return out;
}

function mediaPart(mimeType: string, source: IrImageSource): IrPart {
  return mimeType.startsWith('image/') ? { kind: 'image', source } : { kind: 'file', source };
}

/** The keys a one-field response object commonly wraps its text in. */
const TEXT_KEYS = ['output', 'result', 'content'] as const;

function toolResult(fr: GoogleFunctionResponse, callId: string): IrToolResultPart {
  const response = fr.response ?? {};
  const keys = Object.keys(response);
  const only = keys.length === 1 ? keys[0] : undefined;
  const value = only === undefined ? undefined : response[only];
  const isError = only === 'error' && typeof value === 'string';
  const text =
    typeof value === 'string' && (isError || TEXT_KEYS.some((k) => k === only)) ? value : JSON.stringify(response);
  const content: Array<IrTextPart | IrImagePart> = [{ kind: 'text', text }];
  for (const p of fr.parts ?? []) {
    if (p.inlineData?.mimeType.startsWith('image/')) {
      const { mimeType, data } = p.inlineData;
      content.push({ kind: 'image', source: { type: 'base64', mediaType: mimeType, data } });
    }
  }
  return { kind: 'tool_result', callId, name: fr.name, content, ...(isError && { isError: true }) };
}
