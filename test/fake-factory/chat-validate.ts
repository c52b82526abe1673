import { Invalid, isRecord, kindOf, oxfordList, str, type Json } from './json.js';

/**
 * Checks a Chat Completions request the way api.openai.com does, with its wording and `param`.
 * https://platform.openai.com/docs/api-reference/chat/create
 */

const ROLES = ['system', 'assistant', 'user', 'function', 'tool', 'developer'];
const USER_PARTS = ['text', 'image_url', 'input_audio', 'file'];
const ASSISTANT_PARTS = ['text', 'refusal'];
const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const missing = (param: string): Invalid =>
  new Invalid(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
const wrongType = (param: string, expected: string, v: unknown): Invalid =>
  new Invalid(`Invalid type for '${param}': expected ${expected}, but got ${kindOf(v)} instead.`, param, 'invalid_type');
const badValue = (param: string, v: unknown, supported: readonly string[]): Invalid =>
  new Invalid(`Invalid value: '${String(v)}'. Supported values are: ${oxfordList(supported)}.`, param, 'invalid_value');

export function validateChat(body: Json): void {
  if (typeof body.model !== 'string') throw new Invalid('you must provide a model parameter');
  const messages = body.messages;
  if (messages === undefined) throw missing('messages');
  if (!Array.isArray(messages)) throw wrongType('messages', 'an array', messages);
  if (messages.length === 0) {
    throw new Invalid(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  }
  messages.forEach((m, i) => validateMessage(m, i));
  validateToolAnswers(messages);
  if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true) {
    throw new Invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
  }
  if (body.reasoning_effort !== undefined && body.reasoning_effort !== null) {
    if (!EFFORTS.includes(str(body.reasoning_effort) ?? '')) throw badValue('reasoning_effort', body.reasoning_effort, EFFORTS);
  }
  validateTools(body.tools);
}

function validateMessage(m: unknown, i: number): void {
  const at = `messages[${i}]`;
  if (!isRecord(m)) throw wrongType(at, 'an object', m);
  if (!ROLES.includes(str(m.role) ?? '')) throw badValue(`${at}.role`, m.role, ROLES);
  const content = m.content;
  const optional = m.role === 'assistant' && (Array.isArray(m.tool_calls) || m.refusal !== undefined);
  if (content === undefined || content === null) {
    if (!optional) throw missing(`${at}.content`);
  } else if (Array.isArray(content)) {
    const allowed = m.role === 'assistant' ? ASSISTANT_PARTS : m.role === 'user' ? USER_PARTS : ['text'];
    content.forEach((part, j) => validatePart(part, `${at}.content[${j}]`, allowed));
  } else if (typeof content !== 'string') {
    throw wrongType(`${at}.content`, 'one of a string or array of objects', content);
  }
  if (m.role === 'assistant' && m.tool_calls !== undefined) validateToolCalls(m.tool_calls, at);
  if (m.role === 'tool' && typeof m.tool_call_id !== 'string') throw missing(`${at}.tool_call_id`);
}

function validatePart(part: unknown, at: string, allowed: readonly string[]): void {
  if (!isRecord(part)) throw wrongType(at, 'an object', part);
  if (!allowed.includes(str(part.type) ?? '')) throw badValue(`${at}.type`, part.type, allowed);
  if (part.type === 'text' && typeof part.text !== 'string') {
    throw part.text === undefined ? missing(`${at}.text`) : wrongType(`${at}.text`, 'a string', part.text);
  }
  if (part.type === 'image_url') {
    if (!isRecord(part.image_url)) throw missing(`${at}.image_url`);
    if (typeof part.image_url.url !== 'string') throw wrongType(`${at}.image_url.url`, 'a string', part.image_url.url);
  }
}

function validateToolCalls(calls: unknown, at: string): void {
  if (!Array.isArray(calls)) throw wrongType(`${at}.tool_calls`, 'an array', calls);
  calls.forEach((c, j) => {
    const p = `${at}.tool_calls[${j}]`;
    if (!isRecord(c)) throw wrongType(p, 'an object', c);
    if (typeof c.id !== 'string') throw missing(`${p}.id`);
    if (c.type !== 'function') throw badValue(`${p}.type`, c.type, ['function']);
    if (!isRecord(c.function)) throw missing(`${p}.function`);
    if (typeof c.function.name !== 'string') throw missing(`${p}.function.name`);
    if (typeof c.function.arguments !== 'string') {
      throw wrongType(`${p}.function.arguments`, 'a string', c.function.arguments);
    }
  });
}

/**
 * Every assistant tool call must be answered by tool messages right after it, and
 * every tool message must answer one.
 */
function validateToolAnswers(messages: unknown[]): void {
  let pending = new Map<string, number>();
  const unanswered = (): Invalid => {
    const ids = [...pending.keys()].join(', ');
    const at = `messages.[${[...pending.values()][0]}].role`;
    return new Invalid(
      "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. " +
        `The following tool_call_ids did not have response messages: ${ids}`,
      at,
    );
  };
  messages.forEach((m, i) => {
    if (!isRecord(m)) return;
    if (m.role === 'tool') {
      const id = str(m.tool_call_id) ?? '';
      if (!pending.delete(id)) {
        throw new Invalid(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages.[${i}].role`,
        );
      }
      return;
    }
    if (pending.size > 0) throw unanswered();
    pending = new Map();
    if (m.role === 'assistant' && Array.isArray(m.tool_calls)) {
      for (const c of m.tool_calls) if (isRecord(c) && typeof c.id === 'string') pending.set(c.id, i);
    }
  });
  if (pending.size > 0) throw unanswered();
}

function validateTools(tools: unknown): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) throw wrongType('tools', 'an array', tools);
  tools.forEach((t, i) => {
    const at = `tools[${i}]`;
    if (!isRecord(t)) throw wrongType(at, 'an object', t);
    if (t.type !== 'function' && t.type !== 'custom') throw badValue(`${at}.type`, t.type, ['function', 'custom']);
    if (t.type === 'custom') return;
    if (!isRecord(t.function)) throw missing(`${at}.function`);
    const name = t.function.name;
    if (name === undefined) throw missing(`${at}.function.name`);
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
      throw new Invalid(
        `Invalid '${at}.function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
        `${at}.function.name`,
        'invalid_value',
      );
    }
    const params = t.function.parameters;
    if (params !== undefined && !isRecord(params)) throw wrongType(`${at}.function.parameters`, 'an object', params);
  });
}
