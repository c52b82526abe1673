import { Invalid, isRecord, str, type Json } from './json.js';

/**
 * Checks a generateContent body the way generativelanguage.googleapis.com does. The
 * body is parsed as a protobuf message, so every unknown field is an error; proto JSON
 * accepts both lowerCamel and snake_case names. https://ai.google.dev/api/generate-content
 */

const TOP = ['model', 'contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'safetySettings', 'cachedContent'];
const CONTENT = ['role', 'parts'];
const PART = [
  'text', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult',
  'thought', 'thoughtSignature', 'videoMetadata', 'mediaResolution', 'partMetadata',
];
const GENERATION = [
  'stopSequences', 'responseMimeType', 'responseSchema', 'responseJsonSchema', 'responseModalities', 'candidateCount',
  'maxOutputTokens', 'temperature', 'topP', 'topK', 'seed', 'presencePenalty', 'frequencyPenalty', 'responseLogprobs',
  'logprobs', 'enableEnhancedCivicAnswers', 'speechConfig', 'thinkingConfig', 'imageConfig', 'mediaResolution',
];
const THINKING = ['includeThoughts', 'thinkingBudget', 'thinkingLevel'];
const TOOL = ['functionDeclarations', 'googleSearch', 'googleSearchRetrieval', 'codeExecution', 'urlContext', 'fileSearch', 'computerUse', 'googleMaps'];
const DECLARATION = ['name', 'description', 'parameters', 'parametersJsonSchema', 'response', 'responseJsonSchema', 'behavior'];
/** The OpenAPI subset `parameters` accepts: no additionalProperties, $schema, const… */
const SCHEMA = [
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required',
  'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'example', 'anyOf', 'propertyOrdering',
  'default', 'items', 'minimum', 'maximum',
];
/** Placeholders Google documents for histories that never had a real signature. */
const DUMMY_SIGNATURES = ['skip_thought_signature_validator', 'context_engineering_is_the_way_to_go'];

const camel = (k: string): string => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Reads a field under either spelling. */
export function field(o: Json, name: string): unknown {
  const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return o[name] ?? o[snake];
}

function onlyKnown(o: Json, known: readonly string[], at: string | undefined): void {
  for (const key of Object.keys(o)) {
    if (known.includes(camel(key))) continue;
    const where = at === undefined ? '' : ` at '${at}'`;
    throw new Invalid(`Invalid JSON payload received. Unknown name "${key}"${where}: Cannot find field.`);
  }
}

export function validateGemini(body: Json): void {
  onlyKnown(body, TOP, undefined);
  if (typeof body.model !== 'string') throw new Invalid('* GenerateContentRequest.model: model is required');
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) {
    throw new Invalid('* GenerateContentRequest.contents: contents is not specified');
  }
  contents.forEach((c, i) => validateContent(c, `contents[${i}]`));
  const system = field(body, 'systemInstruction');
  if (system !== undefined) validateContent(system, 'system_instruction');
  validateGeneration(field(body, 'generationConfig'));
  validateTools(body.tools);
  validateTurns(contents.filter(isRecord), body.model.startsWith('gemini-3'));
}

function validateContent(c: unknown, at: string): void {
  if (!isRecord(c)) throw new Invalid(`Invalid value at '${at}', must be an object`);
  onlyKnown(c, CONTENT, at);
  if (c.role !== undefined && c.role !== 'user' && c.role !== 'model') {
    throw new Invalid('Please use a valid role: user, model.');
  }
  if (!Array.isArray(c.parts) || c.parts.length === 0) {
    throw new Invalid(`* GenerateContentRequest.${at}.parts: contents.parts must not be empty.`);
  }
  c.parts.forEach((p, j) => {
    const pat = `${at}.parts[${j}]`;
    if (!isRecord(p)) throw new Invalid(`Invalid value at '${pat}', must be an object`);
    onlyKnown(p, PART, pat);
    if (p.text !== undefined && typeof p.text !== 'string') {
      throw new Invalid(`Invalid value at '${pat}.text' (TYPE_STRING), ${JSON.stringify(p.text)}`);
    }
    const call = field(p, 'functionCall');
    if (call !== undefined && (!isRecord(call) || typeof call.name !== 'string')) {
      throw new Invalid(`* GenerateContentRequest.${pat}.function_call.name: Name cannot be empty.`);
    }
    if (isRecord(call) && call.args !== undefined && !isRecord(call.args)) {
      throw new Invalid(`Invalid value at '${pat}.function_call.args' (type.googleapis.com/google.protobuf.Struct)`);
    }
    const response = field(p, 'functionResponse');
    if (response !== undefined && (!isRecord(response) || typeof response.name !== 'string')) {
      throw new Invalid(`* GenerateContentRequest.${pat}.function_response.name: Name cannot be empty.`);
    }
    if (isRecord(response) && response.response !== undefined && !isRecord(response.response)) {
      throw new Invalid(`Invalid value at '${pat}.function_response.response' (type.googleapis.com/google.protobuf.Struct)`);
    }
    validateSignature(field(p, 'thoughtSignature'), pat);
  });
}

/** Signatures are opaque bytes minted upstream; one made elsewhere fails to decode as ours. */
function validateSignature(sig: unknown, at: string): void {
  if (sig === undefined || (typeof sig === 'string' && DUMMY_SIGNATURES.includes(sig))) return;
  if (typeof sig !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(sig)) {
    throw new Invalid(`Invalid value at '${at}.thought_signature' (TYPE_BYTES), Base64 decoding failed for ${JSON.stringify(sig)}`);
  }
  if (!Buffer.from(sig, 'base64').toString('utf8').startsWith('gsig-')) throw new Invalid('Corrupted thought signature.');
}

function validateGeneration(g: unknown): void {
  if (g === undefined) return;
  if (!isRecord(g)) throw new Invalid("Invalid value at 'generation_config', must be an object");
  onlyKnown(g, GENERATION, 'generation_config');
  const thinking = field(g, 'thinkingConfig');
  if (isRecord(thinking)) onlyKnown(thinking, THINKING, 'generation_config.thinking_config');
}

function validateTools(tools: unknown): void {
  if (tools === undefined) return;
  if (!Array.isArray(tools)) throw new Invalid("Invalid value at 'tools', must be a list");
  tools.forEach((t, i) => {
    if (!isRecord(t)) throw new Invalid(`Invalid value at 'tools[${i}]', must be an object`);
    onlyKnown(t, TOOL, `tools[${i}]`);
    const decls = field(t, 'functionDeclarations');
    if (decls === undefined) return;
    if (!Array.isArray(decls)) throw new Invalid(`Invalid value at 'tools[${i}].function_declarations', must be a list`);
    decls.forEach((d, j) => {
      const at = `tools[${i}].function_declarations[${j}]`;
      if (!isRecord(d)) throw new Invalid(`Invalid value at '${at}', must be an object`);
      onlyKnown(d, DECLARATION, at);
      if (typeof d.name !== 'string' || d.name === '') {
        throw new Invalid(`* GenerateContentRequest.${at}.name: Name cannot be empty.`);
      }
      if (d.parameters !== undefined) validateSchema(d.parameters, `${at}.parameters`);
    });
  });
}

function validateSchema(s: unknown, at: string): void {
  if (!isRecord(s)) throw new Invalid(`Invalid value at '${at}', must be an object`);
  onlyKnown(s, SCHEMA, at);
  if (Array.isArray(s.type)) {
    throw new Invalid(`Invalid JSON payload received. Unknown name "type" at '${at}': Proto field is not repeating, cannot start list.`);
  }
  if (isRecord(s.properties)) {
    Object.values(s.properties).forEach((v, k) => validateSchema(v, `${at}.properties[${k}].value`));
  }
  if (s.items !== undefined) validateSchema(s.items, `${at}.items`);
  const anyOf = field(s, 'anyOf');
  if (Array.isArray(anyOf)) anyOf.forEach((v, k) => validateSchema(v, `${at}.any_of[${k}]`));
}

function partsOf(c: Json): Json[] {
  return Array.isArray(c.parts) ? c.parts.filter(isRecord) : [];
}

function calls(c: Json): Json[] {
  return partsOf(c).filter((p) => isRecord(field(p, 'functionCall')));
}

function nameOf(p: Json, key: 'functionCall' | 'functionResponse'): string | undefined {
  const v = field(p, key);
  return isRecord(v) ? str(v.name) : undefined;
}

function responses(c: Json): Json[] {
  return partsOf(c).filter((p) => isRecord(field(p, 'functionResponse')));
}

/** Function calls and responses must alternate; Gemini 3 needs signatures in the current turn. */
function validateTurns(contents: Json[], gemini3: boolean): void {
  contents.forEach((c, i) => {
    const prev = contents[i - 1];
    if (calls(c).length > 0 && (prev === undefined || prev.role === 'model')) {
      throw new Invalid('Please ensure that function call turn comes immediately after a user turn or after a function response turn.');
    }
    const answers = responses(c);
    if (answers.length === 0) return;
    const asked = prev === undefined || prev.role !== 'model' ? [] : calls(prev);
    if (asked.length === 0) {
      throw new Invalid('Please ensure that function response turn comes immediately after a function call turn.');
    }
    if (asked.length !== answers.length) {
      throw new Invalid(
        'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.',
      );
    }
    const names = new Set(asked.map((p) => nameOf(p, 'functionCall')));
    answers.forEach((p, j) => {
      const name = nameOf(p, 'functionResponse');
      if (!names.has(name)) {
        throw new Invalid(
          `Function response name "${String(name)}" at 'contents[${i}].parts[${j}]' does not match any function call of the previous model turn.`,
        );
      }
    });
  });
  if (gemini3) validateCurrentTurnSignatures(contents);
}

/**
 * https://ai.google.dev/gemini-api/docs/thought-signatures: the current turn starts at
 * the last user content that is not only function responses; in each of its model steps
 * the first functionCall part must carry its signature.
 */
function validateCurrentTurnSignatures(contents: Json[]): void {
  let start = contents.length - 1;
  while (start > 0 && !(contents[start]?.role !== 'model' && responses(contents[start] ?? {}).length === 0)) start -= 1;
  for (let i = start; i < contents.length; i += 1) {
    const first = calls(contents[i] ?? {})[0];
    if (first === undefined || field(first, 'thoughtSignature') !== undefined) continue;
    const name = nameOf(first, 'functionCall');
    throw new Invalid(
      'Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, ' +
        'and missing thought_signature may lead to degraded model performance. Additional data, function call ' +
        `\`default_api:${String(name)}\` , position ${i + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`,
    );
  }
}
