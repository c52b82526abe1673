import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { filterBody } from '../../src/filter/filter-body.js';
import { KeywordFilter } from '../../src/filter/keyword-filter.js';
import { FilterFileError, parseFilterFile } from '../../src/filter/keyword-rules.js';

/** droid2api v2's shipped keywords-filter.json, byte for byte. */
const V2_FILE = join(import.meta.dirname, '..', 'fixtures', 'keyword-filter', 'v2-keywords-filter.json');
const TODO = 'If you are working on tasks that would benefit from a todo list please use the TodoWrite tool to create one.';

function rulesOf(...rules: unknown[]) {
  return parseFilterFile(JSON.stringify({ enabled: true, rules }), 'f.json');
}
const rule = (pattern: Record<string, unknown>, action: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id: 'r', enabled: true, pattern, action, ...extra });

/** The first matching rule's result on one text, as the filter applies it. */
function run(rules: ReturnType<typeof rulesOf>, text: string): string | null | undefined {
  for (const r of rules.rules) {
    const out = r.rewrite(text);
    if (out !== undefined) return r.action === 'remove_content' ? null : out;
  }
  return undefined;
}

describe('keywords-filter.json rules', () => {
  it("loads v2's shipped file unchanged: three active rules, disabled examples left out", () => {
    const rules = parseFilterFile(readFileSync(V2_FILE, 'utf8'), V2_FILE);
    expect(rules.enabled).toBe(true);
    expect(rules.rules.map((r) => [r.id, r.action])).toEqual([
      ['rule-prevent-prompt-leak', 'remove_content'],
      ['rule-prevent-prompt-leak', 'remove_content'],
      ['rule-system-engineering-agent', 'replace'],
    ]);
    expect(run(rules, `<system-reminder>${TODO.toUpperCase()}</system-reminder>`)).toBeNull();
    expect(run(rules, 'You are Kilo Code, a skilled engineer. You are kilo code.')).toBe('AI助手, a skilled engineer. AI助手.');
    expect(run(rules, 'nothing to see')).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string, string | null | undefined]>([
    ['contains is case-insensitive by default and replace replaces every occurrence', { type: 'contains', value: 'foo' }, { type: 'replace', replacement: 'x' }, 'Foo foo', 'x x'],
    ['caseSensitive makes contains exact', { type: 'contains', value: 'foo', caseSensitive: true }, { type: 'replace', replacement: 'x' }, 'Foo', undefined],
    ['delete_keyword on a prefix removes it once', { type: 'prefix', value: '[SYSTEM]', caseSensitive: true }, { type: 'delete_keyword' }, '[SYSTEM] hi [SYSTEM]', ' hi [SYSTEM]'],
    ['a prefix elsewhere does not match', { type: 'prefix', value: 'hi' }, { type: 'delete_keyword' }, 'oh hi', undefined],
    ['delete_keyword on a suffix removes it once', { type: 'suffix', value: '[隐藏]' }, { type: 'delete_keyword' }, 'a [隐藏] b [隐藏]', 'a [隐藏] b '],
    ['replace on a prefix rule replaces every occurrence (v2)', { type: 'prefix', value: 'ab' }, { type: 'replace', replacement: '-' }, 'ab ab', '- -'],
    ['regex with flag i unless caseSensitive', { type: 'regex', value: '\\d{3}-\\d{4}' }, { type: 'replace', replacement: '#' }, 'call 123-4567 or 765-4321', 'call # or #'],
    ['a replacement with $ is taken literally', { type: 'contains', value: 'x' }, { type: 'replace', replacement: '$&$1' }, 'x', '$&$1'],
    ['remove_content removes the text', { type: 'contains', value: 'x' }, { type: 'remove_content' }, 'a x b', null],
  ])('%s', (_name, pattern, action, text, expected) => {
    expect(run(rulesOf(rule(pattern, action)), text)).toEqual(expected);
  });

  it('applies a rule without `enabled` (v2 loaded it but never applied it)', () => {
    const rules = rulesOf({ id: 'no-flag', pattern: { type: 'contains', value: 'x' }, action: { type: 'replace', replacement: 'y' } });
    expect(run(rules, 'x')).toBe('y');
  });

  it('only the first matching rule acts on a text', () => {
    const rules = rulesOf(rule({ type: 'contains', value: 'a' }, { type: 'replace', replacement: 'b' }), rule({ type: 'contains', value: 'b' }, { type: 'replace', replacement: 'c' }));
    expect(run(rules, 'a')).toBe('b');
  });

  it('is off unless the top level says enabled: true', () => {
    expect(parseFilterFile(JSON.stringify({ rules: [] }), 'f').enabled).toBe(false);
  });

  it.each([
    [{ enabled: true, rules: [{ id: 'bad-type', pattern: { type: 'glob', value: 'x' }, action: { type: 'replace' } }] }, /^f\.json: rule 0 "bad-type": pattern\.type: /],
    [{ enabled: true, rules: [{ id: 'ok', pattern: { type: 'contains', value: 'x' }, action: { type: 'replace' } }, { id: 'bad-re', pattern: { type: 'regex', value: '(' }, action: { type: 'replace' } }] }, /^f\.json: rule 1 "bad-re": pattern\.value: not a valid regular expression/],
    [{ enabled: true, rules: [{ pattern: { type: 'contains', value: 'x' }, action: { type: 'replace' } }] }, /^f\.json: rule 0: id: /],
  ])('names the rule and the reason in one line when the file is invalid (%#)', (file, message) => {
    const run = () => parseFilterFile(JSON.stringify(file), 'f.json');
    expect(run).toThrow(FilterFileError);
    expect(run).toThrow(message);
  });
});

describe('filterBody', () => {
  const rules = parseFilterFile(readFileSync(V2_FILE, 'utf8'), V2_FILE);
  const filter = (text: string) => run(rules, text);

  it('removes string content too (v2 ignored remove_content on a string), and leaves assistant text alone', () => {
    const body = { messages: [{ role: 'user', content: 'use update_todo_list' }, { role: 'assistant', content: 'update_todo_list' }, { role: 'user', content: 'hi' }] };
    expect(filterBody(body, 'openai-chat', filter)).toEqual({ messages: [{ role: 'assistant', content: 'update_todo_list' }, { role: 'user', content: 'hi' }] });
  });

  it('returns the very same body when nothing matched', () => {
    const body = { messages: [{ role: 'user', content: 'hello' }] };
    expect(filterBody(body, 'openai-chat', filter)).toBe(body);
  });

  it('rewrites Gemini user parts and the system instruction, never thoughts', () => {
    const body = {
      systemInstruction: { parts: [{ text: 'You are Kilo Code' }] },
      contents: [{ role: 'user', parts: [{ text: TODO }, { text: 'keep' }] }, { role: 'model', parts: [{ text: TODO }] }],
    };
    expect(filterBody(body, 'google', filter)).toEqual({
      systemInstruction: { parts: [{ text: 'AI助手' }] },
      contents: [{ role: 'user', parts: [{ text: 'keep' }] }, { role: 'model', parts: [{ text: TODO }] }],
    });
  });

  it('counts matches per rule position, repeated ids apart', () => {
    const kf = new KeywordFilter(V2_FILE, pino({ level: 'silent' }));
    kf.load();
    kf.apply({ messages: [{ role: 'user', content: [{ type: 'text', text: TODO }, { type: 'text', text: 'update_todo_list' }, { type: 'text', text: 'update_todo_list' }] }] }, 'anthropic');
    expect(kf.status().rules.map((r) => [r.index, r.matches])).toEqual([
      [0, 1],
      [1, 2],
      [7, 0],
    ]);
  });
});
