import { Invalid, isRecord, str, type Json } from './json.js';

/**
 * Checks a Messages request the way api.anthropic.com does, with its wording.
 * https://docs.anthropic.com/en/api/messages
 */

const BLOCK_TYPES = [
  'text', 'image', 'document', 'search_result', 'thinking', 'redacted_thinking', 'tool_use',
  'tool_result', 'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result',
  'code_execution_tool_result', 'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result', 'tool_search_tool_result', 'container_upload',
];
const IMAGE_MEDIA = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const DOCS = 'Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking';

export function validateAnthropic(body: Json, countTokens: boolean): void {
  if (typeof body.model !== 'string') throw new Invalid('model: Field required');
  if (!countTokens) {
    if (body.max_tokens === undefined) throw new Invalid('max_tokens: Field required');
    if (!Number.isInteger(body.max_tokens)) throw new Invalid('max_tokens: Input should be a valid integer');
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    throw new Invalid('stream: Input should be a valid boolean');
  }
  validateSystem(body.system);
  const messages = body.messages;
  if (messages === undefined) throw new Invalid('messages: Field required');
  if (!Array.isArray(messages)) throw new Invalid('messages: Input should be a valid list');
  if (messages.length === 0) throw new Invalid('messages: at least one message is required');
  messages.forEach((m, i) => validateMessage(m, i, i === messages.length - 1));
  validatePairing(messages);
  validateThinking(body, countTokens);
  validateTools(body.tools);
}

function validateSystem(system: unknown): void {
  if (system === undefined || typeof system === 'string') return;
  if (!Array.isArray(system)) throw new Invalid('system: Input should be a valid string or list');
  system.forEach((b, i) => {
    if (!isRecord(b) || b.type !== 'text') throw new Invalid(`system.${i}.type: Input should be 'text'`);
    if (typeof b.text !== 'string') throw new Invalid(`system.${i}.text: Field required`);
  });
}

function validateMessage(m: unknown, i: number, last: boolean): void {
  if (!isRecord(m)) throw new Invalid(`messages.${i}: Input should be a valid dictionary`);
  if (m.role !== 'user' && m.role !== 'assistant') {
    throw new Invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
  }
  const content = m.content;
  const empty = content === '' || (Array.isArray(content) && content.length === 0);
  if (empty && !(last && m.role === 'assistant')) {
    throw new Invalid(
      `messages.${i}: all messages must have non-empty content except for the optional final assistant message`,
    );
  }
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw new Invalid(`messages.${i}.content: Input should be a valid string or list`);
  content.forEach((b, j) => validateBlock(b, `messages.${i}.content.${j}`, m.role === 'assistant'));
}

function validateBlock(b: unknown, at: string, assistant: boolean): void {
  if (!isRecord(b)) throw new Invalid(`${at}: Input should be a valid dictionary`);
  const type = str(b.type) ?? '';
  if (!BLOCK_TYPES.includes(type)) {
    throw new Invalid(
      `${at}.type: Input tag '${type}' found using 'type' does not match any of the expected tags: ` +
        BLOCK_TYPES.map((t) => `'${t}'`).join(', '),
    );
  }
  if (type === 'text') {
    if (typeof b.text !== 'string') throw new Invalid(`${at}.text.text: Field required`);
    if (b.text === '') throw new Invalid('messages: text content blocks must be non-empty');
  }
  if (type === 'image') validateImage(b.source, `${at}.image.source`);
  if (type === 'tool_use' || type === 'thinking' || type === 'redacted_thinking') {
    if (!assistant) throw new Invalid(`${at}: \`${type}\` blocks are only allowed in \`assistant\` messages`);
  }
  if (type === 'tool_result' && assistant) {
    throw new Invalid(`${at}: \`tool_result\` blocks are only allowed in \`user\` messages`);
  }
  if (type === 'tool_use') {
    if (typeof b.id !== 'string') throw new Invalid(`${at}.tool_use.id: Field required`);
    if (typeof b.name !== 'string') throw new Invalid(`${at}.tool_use.name: Field required`);
    if (!isRecord(b.input)) throw new Invalid(`${at}.tool_use.input: Input should be a valid dictionary`);
  }
  if (type === 'tool_result' && typeof b.tool_use_id !== 'string') {
    throw new Invalid(`${at}.tool_result.tool_use_id: Field required`);
  }
  if (type === 'thinking') {
    if (typeof b.thinking !== 'string') throw new Invalid(`${at}.thinking.thinking: Field required`);
    if (typeof b.signature !== 'string') throw new Invalid(`${at}.thinking.signature: Field required`);
    // Signatures are checked upstream: one minted by another provider (or made up) is refused.
    if (!b.signature.startsWith('sig-')) throw new Invalid(`${at}: Invalid \`signature\` in \`thinking\` block`);
  }
}

function validateImage(source: unknown, at: string): void {
  if (!isRecord(source)) throw new Invalid(`${at}: Field required`);
  const type = str(source.type) ?? '';
  if (type === 'base64') {
    if (!IMAGE_MEDIA.includes(str(source.media_type) ?? '')) {
      throw new Invalid(`${at}.base64.media_type: Input should be ${IMAGE_MEDIA.map((t) => `'${t}'`).join(', ')}`);
    }
    if (typeof source.data !== 'string') throw new Invalid(`${at}.base64.data: Field required`);
    return;
  }
  if (type === 'url') {
    if (typeof source.url !== 'string') throw new Invalid(`${at}.url.url: Field required`);
    return;
  }
  if (type === 'file' && typeof source.file_id === 'string') return;
  throw new Invalid(
    `${at}: Input tag '${type}' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'`,
  );
}

function blocksOf(m: unknown): Json[] {
  if (!isRecord(m) || !Array.isArray(m.content)) return [];
  return m.content.filter(isRecord);
}

/** tool_use ↔ tool_result must pair up across adjacent messages, results first. */
function validatePairing(messages: unknown[]): void {
  messages.forEach((m, i) => {
    const blocks = blocksOf(m);
    const results = blocks.filter((b) => b.type === 'tool_result');
    if (results.length > 0) {
      const firstOther = blocks.findIndex((b) => b.type !== 'tool_result');
      if (firstOther !== -1 && firstOther < results.length) {
        throw new Invalid(`messages.${i}.content: \`tool_result\` blocks must come first in the user message`);
      }
      const uses = new Set(blocksOf(messages[i - 1]).filter((b) => b.type === 'tool_use').map((b) => b.id));
      const stray = results.map((r) => r.tool_use_id).filter((id) => !uses.has(id));
      if (stray.length > 0) {
        throw new Invalid(
          `messages.${i}.content.0: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${stray.join(', ')}. ` +
            'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
        );
      }
    }
  });
  messages.forEach((m, i) => {
    const blocks = blocksOf(m);
    const next = messages[i + 1];
    if (next === undefined) return;
    const answered = new Set(blocksOf(next).filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id));
    const open = blocks.filter((b) => b.type === 'tool_use' && !answered.has(b.id)).map((b) => String(b.id));
    if (open.length > 0) {
      throw new Invalid(
        `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${open.join(', ')}. ` +
          'Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
      );
    }
  });
}

function validateThinking(body: Json, countTokens: boolean): void {
  const t = body.thinking;
  if (t === undefined) return;
  if (!isRecord(t)) throw new Invalid('thinking: Input should be a valid dictionary');
  if (t.type === 'disabled') return;
  if (t.type === 'enabled') {
    const budget = t.budget_tokens;
    if (typeof budget !== 'number') throw new Invalid('thinking.enabled.budget_tokens: Field required');
    if (budget < 1024) throw new Invalid('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    if (!countTokens && typeof body.max_tokens === 'number' && body.max_tokens <= budget) {
      throw new Invalid(`\`max_tokens\` must be greater than \`thinking.budget_tokens\`. ${DOCS}`);
    }
  } else if (t.type !== 'adaptive') {
    throw new Invalid(
      `thinking: Input tag '${String(t.type)}' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive'`,
    );
  }
  if (body.temperature !== undefined && body.temperature !== 1) {
    throw new Invalid(`\`temperature\` may only be set to 1 when thinking is enabled. ${DOCS}`);
  }
  if (body.top_k !== undefined) throw new Invalid(`\`top_k\` must be unset when thinking is enabled. ${DOCS}`);
  if (typeof body.top_p === 'number' && body.top_p < 0.95) {
    throw new Invalid(`\`top_p\` must be greater than or equal to 0.95 or unset when thinking is enabled. ${DOCS}`);
  }
  validateToolLoopThinking(body.messages);
}

/**
 * With thinking on, the assistant message that opened the current tool loop (the
 * first one after the last user message that is not only tool results) must start
 * with its thinking block: a client that drops thinking from history is refused.
 */
function validateToolLoopThinking(messages: unknown): void {
  if (!Array.isArray(messages)) return;
  if (!blocksOf(messages[messages.length - 1]).some((b) => b.type === 'tool_result')) return;
  let i = messages.length - 1;
  while (i > 0 && !isPlainUserTurn(messages[i - 1])) i -= 1;
  const opener = messages[i];
  if (!isRecord(opener) || opener.role !== 'assistant') return;
  const first = blocksOf(opener)[0];
  if (first === undefined || first.type === 'thinking' || first.type === 'redacted_thinking') return;
  throw new Invalid(
    `messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first.type)}\`. ` +
      'When `thinking` is enabled, a final `assistant` message must start with a thinking block ' +
      '(preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include ' +
      `thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. ${DOCS}`,
  );
}

function isPlainUserTurn(m: unknown): boolean {
  if (!isRecord(m) || m.role !== 'user') return false;
  return typeof m.content === 'string' || blocksOf(m).some((b) => b.type !== 'tool_result');
}

function validateTools(tools: unknown): void {
  if (tools === undefined) return;
  if (!Array.isArray(tools)) throw new Invalid('tools: Input should be a valid list');
  tools.forEach((t, i) => {
    if (!isRecord(t)) throw new Invalid(`tools.${i}: Input should be a valid dictionary`);
    // Server and versioned client tools (web_search_20250305, bash_20250124…) carry no schema.
    if (t.type !== undefined && t.type !== 'custom') return;
    if (typeof t.name !== 'string') throw new Invalid(`tools.${i}.custom.name: Field required`);
    if (!TOOL_NAME.test(t.name)) {
      throw new Invalid(`tools.${i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
    }
    if (!isRecord(t.input_schema)) throw new Invalid(`tools.${i}.custom.input_schema: Field required`);
    if (t.input_schema.type !== 'object') throw new Invalid(`tools.${i}.custom.input_schema.type: Input should be 'object'`);
  });
}
