import { Invalid, isRecord, kindOf, oxfordList, str, type Json } from './json.js';

/**
 * Checks a Responses request the way api.openai.com does, with its wording and `param`.
 * https://platform.openai.com/docs/api-reference/responses/create
 */

const ITEM_TYPES = [
  'message', 'function_call', 'function_call_output', 'reasoning', 'item_reference', 'custom_tool_call',
  'custom_tool_call_output', 'web_search_call', 'file_search_call', 'computer_call', 'computer_call_output',
  'local_shell_call', 'local_shell_call_output', 'shell_call', 'shell_call_output', 'apply_patch_call',
  'apply_patch_call_output', 'image_generation_call', 'code_interpreter_call', 'mcp_list_tools',
  'mcp_approval_request', 'mcp_approval_response', 'mcp_call', 'compaction',
];
const ROLES = ['assistant', 'system', 'developer', 'user'];
const INPUT_PARTS = ['input_text', 'input_image', 'input_file'];
const OUTPUT_PARTS = ['output_text', 'refusal'];
const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];

const missing = (param: string): Invalid =>
  new Invalid(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
const wrongType = (param: string, expected: string, v: unknown): Invalid =>
  new Invalid(`Invalid type for '${param}': expected ${expected}, but got ${kindOf(v)} instead.`, param, 'invalid_type');
const badValue = (param: string, v: unknown, supported: readonly string[]): Invalid =>
  new Invalid(`Invalid value: '${String(v)}'. Supported values are: ${oxfordList(supported)}.`, param, 'invalid_value');

export function validateResponses(body: Json): void {
  if (body.model === undefined) throw missing('model');
  if (typeof body.model !== 'string') throw wrongType('model', 'a string', body.model);
  if (body.instructions !== undefined && body.instructions !== null && typeof body.instructions !== 'string') {
    throw wrongType('instructions', 'a string', body.instructions);
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    throw wrongType('stream', 'a boolean', body.stream);
  }
  const input = body.input;
  if (input === undefined && typeof body.previous_response_id !== 'string') throw missing('input');
  if (input !== undefined && typeof input !== 'string') {
    if (!Array.isArray(input)) throw wrongType('input', 'one of a string or array of input items', input);
    const calls = new Set<string>();
    input.forEach((item, i) => validateItem(item, `input[${i}]`, calls));
  }
  if (isRecord(body.reasoning) && body.reasoning.effort !== undefined && body.reasoning.effort !== null) {
    if (!EFFORTS.includes(str(body.reasoning.effort) ?? '')) {
      throw badValue('reasoning.effort', body.reasoning.effort, EFFORTS);
    }
  }
  validateTools(body.tools);
}

function validateItem(item: unknown, at: string, calls: Set<string>): void {
  if (!isRecord(item)) throw wrongType(at, 'an object', item);
  // An item with a role and no type is an "easy input message".
  const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
  if (type === undefined) throw missing(`${at}.type`);
  if (!ITEM_TYPES.includes(str(type) ?? '')) throw badValue(`${at}.type`, type, ITEM_TYPES);
  if (type === 'message') validateMessage(item, at);
  if (type === 'function_call') {
    for (const key of ['call_id', 'name', 'arguments']) {
      if (item[key] === undefined) throw missing(`${at}.${key}`);
      if (typeof item[key] !== 'string') throw wrongType(`${at}.${key}`, 'a string', item[key]);
    }
    calls.add(String(item.call_id));
  }
  if (type === 'function_call_output') {
    if (typeof item.call_id !== 'string') throw missing(`${at}.call_id`);
    if (!calls.has(item.call_id)) {
      throw new Invalid(`No tool call found for function call output with call_id ${item.call_id}.`, 'input');
    }
    if (typeof item.output !== 'string' && !Array.isArray(item.output)) {
      throw wrongType(`${at}.output`, 'one of a string or array of output items', item.output);
    }
  }
  if (type === 'reasoning') {
    if (!Array.isArray(item.summary)) throw missing(`${at}.summary`);
    const enc = item.encrypted_content;
    // Reasoning is encrypted by the upstream: content minted elsewhere fails to verify.
    if (typeof enc === 'string' && !enc.startsWith('enc-')) {
      throw new Invalid(
        `The encrypted content for item ${String(item.id ?? at)} could not be verified.`,
        null,
        'invalid_encrypted_content',
      );
    }
  }
}

function validateMessage(item: Json, at: string): void {
  if (!ROLES.includes(str(item.role) ?? '')) throw badValue(`${at}.role`, item.role, ROLES);
  const content = item.content;
  if (content === undefined) throw missing(`${at}.content`);
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw wrongType(`${at}.content`, 'one of a string or array of input items', content);
  const allowed = item.role === 'assistant' ? OUTPUT_PARTS : INPUT_PARTS;
  content.forEach((part, j) => {
    const p = `${at}.content[${j}]`;
    if (!isRecord(part)) throw wrongType(p, 'an object', part);
    if (!allowed.includes(str(part.type) ?? '')) throw badValue(`${p}.type`, part.type, allowed);
    if ((part.type === 'input_text' || part.type === 'output_text') && typeof part.text !== 'string') {
      throw part.text === undefined ? missing(`${p}.text`) : wrongType(`${p}.text`, 'a string', part.text);
    }
    if (part.type === 'input_image') {
      if (part.image_url === undefined && part.file_id === undefined) throw missing(`${p}.image_url`);
      if (part.image_url !== undefined && typeof part.image_url !== 'string') {
        throw wrongType(`${p}.image_url`, 'a string', part.image_url);
      }
    }
  });
}

function validateTools(tools: unknown): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) throw wrongType('tools', 'an array', tools);
  tools.forEach((t, i) => {
    const at = `tools[${i}]`;
    if (!isRecord(t)) throw wrongType(at, 'an object', t);
    if (typeof t.type !== 'string') throw missing(`${at}.type`);
    if (t.type !== 'function') return;
    // Chat Completions nests {function:{name}}; Responses wants the name at the top level.
    if (t.function !== undefined) {
      throw new Invalid(`Unknown parameter: '${at}.function'.`, `${at}.function`, 'unknown_parameter');
    }
    if (t.name === undefined) throw missing(`${at}.name`);
    if (typeof t.name !== 'string') throw wrongType(`${at}.name`, 'a string', t.name);
    if (t.parameters !== undefined && t.parameters !== null && !isRecord(t.parameters)) {
      throw wrongType(`${at}.parameters`, 'an object', t.parameters);
    }
  });
}
